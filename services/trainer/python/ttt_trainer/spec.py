"""The train spec written by the Node worker: parsed strictly, so a typo fails before any compute."""
import json
import math
import os

from .events import bad_input

# name: (type, default, minimum); None default means "derived from the model".
HYPERPARAMETERS = {
    "max_steps": (int, 200, 1),
    "batch_size": (int, 16, 1),
    "block_size": (int, None, 1),
    "learning_rate": (float, 6e-4, 0.0),
    "min_lr": (float, 6e-5, 0.0),
    "warmup_steps": (int, 20, 0),
    "weight_decay": (float, 0.1, 0.0),
    "grad_clip": (float, 1.0, 0.0),  # 0 disables clipping
    "dropout": (float, None, 0.0),  # None: the scratch config's dropout, else 0
    "eval_interval": (int, 50, 1),
    "eval_iters": (int, 20, 1),
    "checkpoint_interval": (int, 50, 1),
    "grad_accum_steps": (int, 1, 1),
    "seed": (int, 1337, 0),
    "beta1": (float, 0.9, 0.0),
    "beta2": (float, 0.95, 0.0),
    "log_interval": (int, 10, 1),
}

SCRATCH_KEYS = {"n_layer", "n_head", "n_embd", "block_size", "vocab_size", "dropout"}
TOP_KEYS = {"runDir", "train", "val", "init", "hyperparameters", "device"}
DEFAULT_SCRATCH_BLOCK = 128


def _number(where, value, kind, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise bad_input(f"{where} must be a number, got {value!r}")
    if kind is int:
        if isinstance(value, float) and not value.is_integer():
            raise bad_input(f"{where} must be an integer, got {value!r}")
        value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise bad_input(f"{where} must be finite")
    if minimum is not None and value < minimum:
        raise bad_input(f"{where} must be >= {minimum}, got {value!r}")
    return value


def _paths(spec, key):
    value = spec.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and p for p in value):
        raise bad_input(f"spec.{key} must be a non-empty list of token file paths")
    return value


def parse_hyperparameters(raw):
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise bad_input("spec.hyperparameters must be an object")
    unknown = sorted(set(raw) - set(HYPERPARAMETERS))
    if unknown:
        raise bad_input(f"unknown hyperparameters {unknown}; allowed: {sorted(HYPERPARAMETERS)}")
    hp = {}
    for name, (kind, default, minimum) in HYPERPARAMETERS.items():
        value = raw.get(name)
        hp[name] = default if value is None else _number(f"hyperparameters.{name}", value, kind, minimum)
    if hp["min_lr"] > hp["learning_rate"]:
        raise bad_input("hyperparameters.min_lr must be <= learning_rate")
    if hp["dropout"] is not None and hp["dropout"] >= 1.0:
        raise bad_input("hyperparameters.dropout must be < 1")
    for b in ("beta1", "beta2"):
        if hp[b] >= 1.0:
            raise bad_input(f"hyperparameters.{b} must be < 1")
    return hp


def parse_init(raw):
    if not isinstance(raw, dict) or raw.get("kind") not in ("scratch", "weights", "hub"):
        raise bad_input('spec.init must be {"kind": "scratch" | "weights" | "hub", ...}')
    kind = raw["kind"]
    allowed = {"scratch": {"kind", "config"}, "weights": {"kind", "path"}, "hub": {"kind", "name"}}[kind]
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise bad_input(f"spec.init ({kind}) has unknown keys {unknown}")
    if kind == "scratch":
        config = raw.get("config") or {}
        if not isinstance(config, dict):
            raise bad_input("spec.init.config must be an object")
        unknown = sorted(set(config) - SCRATCH_KEYS)
        if unknown:
            raise bad_input(f"spec.init.config has unknown keys {unknown}; allowed: {sorted(SCRATCH_KEYS)}")
        for key in ("n_layer", "n_head", "n_embd"):
            if key not in config:
                raise bad_input(f"spec.init.config.{key} is required")
        out = {k: _number(f"init.config.{k}", v, float if k == "dropout" else int, 0 if k == "dropout" else 1)
               for k, v in config.items()}
        if out["n_embd"] % out["n_head"]:
            raise bad_input("init.config.n_embd must be divisible by n_head")
        return {"kind": kind, "config": out}
    if kind == "weights":
        path = raw.get("path")
        if not isinstance(path, str) or not os.path.isdir(path):
            raise bad_input(f"spec.init.path {path!r} is not a folder")
        return {"kind": kind, "path": path}
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise bad_input("spec.init.name must be a hub repository name such as 'gpt2'")
    return {"kind": kind, "name": name}


def load_spec(path):
    try:
        with open(path) as f:
            raw = json.load(f)
    except OSError as exc:
        raise bad_input(f"cannot read spec {path} ({exc})")
    except ValueError as exc:
        raise bad_input(f"spec {path} is not valid JSON ({exc})")
    return parse_spec(raw)


def parse_spec(raw):
    if not isinstance(raw, dict):
        raise bad_input("spec must be a JSON object")
    unknown = sorted(set(raw) - TOP_KEYS)
    if unknown:
        raise bad_input(f"spec has unknown keys {unknown}; allowed: {sorted(TOP_KEYS)}")
    run_dir = raw.get("runDir")
    if not isinstance(run_dir, str) or not run_dir:
        raise bad_input("spec.runDir must be a folder path")
    device = raw.get("device", "auto")
    if not isinstance(device, str):
        raise bad_input("spec.device must be a string")
    return {
        "runDir": run_dir,
        "train": _paths(raw, "train"),
        "val": _paths(raw, "val"),
        "init": parse_init(raw.get("init")),
        "hyperparameters": parse_hyperparameters(raw.get("hyperparameters")),
        "device": device,
    }


def same_run(a, b):
    """Whether a checkpoint's spec describes this run; the device may change between attempts."""
    keys = ("train", "val", "init", "hyperparameters")
    return all(a.get(k) == b.get(k) for k in keys)
