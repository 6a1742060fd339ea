"""Fetch a GPT-2 checkpoint (config.json + weights) from the Hugging Face hub into a local cache folder."""
import os
import re
import shutil
import urllib.error
import urllib.request

from .events import TrainerError, bad_input, log

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
# model.safetensors first; some older repos only ship pytorch_model.bin.
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def hub_url():
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def cache_root():
    return os.environ.get("TTT_HUB_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ttt_trainer", "hub"
    )


def _unreachable(name, exc):
    return TrainerError(
        "hub_unreachable",
        f"cannot download {name!r} from {hub_url()} ({exc}); the Hugging Face hub is unreachable from this "
        f'machine. Download the model elsewhere and pass it as {{"kind": "weights", "path": "<folder with '
        f'config.json and model.safetensors or pytorch_model.bin>"}} instead.',
        exit_code=1,
    )


class _NotFound(Exception):
    pass


def _download(url, dest, name):
    tmp = dest + ".part"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "ttt-trainer"}), timeout=30) as r:
            with open(tmp, "wb") as f:
                shutil.copyfileobj(r, f, length=1 << 20)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403, 404):
            raise _NotFound(f"{url}: HTTP {exc.code}")
        raise _unreachable(name, exc)
    except (urllib.error.URLError, OSError) as exc:  # DNS, refused, timeout, reset
        raise _unreachable(name, exc)
    os.replace(tmp, dest)


def fetch(name):
    """Return a local folder holding config.json and a weights file for hub repo `name` (cached)."""
    if not isinstance(name, str) or not NAME_RE.match(name) or ".." in name:
        raise bad_input(f"hub model name {name!r} is not a valid repository name like 'gpt2' or 'org/model'")
    folder = os.path.join(cache_root(), name.replace("/", "--"))
    have_weights = any(os.path.isfile(os.path.join(folder, w)) for w in WEIGHT_FILES)
    if os.path.isfile(os.path.join(folder, "config.json")) and have_weights:
        return folder
    os.makedirs(folder, exist_ok=True)
    base = f"{hub_url()}/{name}/resolve/main"
    log(f"downloading {name} from {hub_url()} into {folder}")
    try:
        _download(f"{base}/config.json", os.path.join(folder, "config.json"), name)
    except _NotFound as exc:
        raise bad_input(f"hub model {name!r} not found or not public ({exc})")
    for weights in WEIGHT_FILES:
        try:
            _download(f"{base}/{weights}", os.path.join(folder, weights), name)
            return folder
        except _NotFound:
            continue
    raise bad_input(f"hub model {name!r} has neither {' nor '.join(WEIGHT_FILES)}")
