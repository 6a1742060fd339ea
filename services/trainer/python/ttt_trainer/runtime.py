"""Torch import, thread count, device choice and the CUDA speed switches shared by train and bench."""
import contextlib
import os

from .events import TrainerError, bad_input, log

TORCH_INSTALL_HINT = (
    "PyTorch is not importable by this python. Install it with "
    "`apt-get install python3-torch` (Debian/Ubuntu, CPU) or `pip install torch` "
    "(see https://pytorch.org/get-started for a CUDA build), or point the worker at a python that has it."
)

# bf16 dense tensor-core peaks; MFU is only meaningful against the chip's real peak,
# so unknown chips report null unless TTT_PEAK_FLOPS says otherwise.
PEAK_BF16_FLOPS = [
    ("H200", 989e12),
    ("H100", 989e12),
    ("A100", 312e12),
    ("L40S", 362e12),
    ("A10G", 70e12),
    ("L4", 121e12),
]


def import_torch():
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise TrainerError("torch_missing", f"{TORCH_INSTALL_HINT} ({exc})", exit_code=4) from exc
    return torch


def configure_threads(device_type):
    """Pick the intra-op thread count.

    The Debian torch build sends matmuls to OpenBLAS, which has its own thread pool;
    with torch's OpenMP pool also busy the two fight over the cores. When the caller
    has sized OpenBLAS (OPENBLAS_NUM_THREADS), one torch thread was measured fastest.
    """
    torch = import_torch()
    wanted = os.environ.get("TTT_TORCH_THREADS")
    if wanted:
        try:
            n = int(wanted)
        except ValueError:
            raise bad_input(f"TTT_TORCH_THREADS must be an integer, got {wanted!r}")
        if n < 1:
            raise bad_input("TTT_TORCH_THREADS must be >= 1")
        torch.set_num_threads(n)
    elif device_type == "cpu" and os.environ.get("OPENBLAS_NUM_THREADS"):
        torch.set_num_threads(1)
    return torch.get_num_threads()


def resolve_device(name):
    torch = import_torch()
    name = (name or "auto").strip().lower()
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise bad_input(f"device {name!r} requested but CUDA is not available to this torch")
        try:
            dev = torch.device(name)
        except RuntimeError:
            raise bad_input(f"bad device name {name!r}")
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise bad_input(f"device {name!r} does not exist ({torch.cuda.device_count()} CUDA devices)")
        return dev
    raise bad_input(f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got {name!r}")


class Precision:
    """How a device computes: the autocast context, the dtype name reported, and the grad scaler."""

    def __init__(self, device):
        torch = import_torch()
        self.device = device
        if device.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
            bf16 = torch.cuda.is_bf16_supported()
            self.dtype = torch.bfloat16 if bf16 else torch.float16
            self.name = "bfloat16" if bf16 else "float16"
        else:
            self.dtype = torch.float32
            self.name = "float32"
        # fp16 underflows gradients without loss scaling; bf16 and fp32 do not need it.
        self.scaler = None
        if self.name == "float16":
            amp = getattr(torch, "amp", None)
            if amp is not None and hasattr(amp, "GradScaler"):
                self.scaler = amp.GradScaler("cuda")
            else:
                self.scaler = torch.cuda.amp.GradScaler()

    def autocast(self):
        torch = import_torch()
        if self.device.type != "cuda":
            return contextlib.nullcontext()
        return torch.autocast(device_type="cuda", dtype=self.dtype)


def want_compile(device):
    torch = import_torch()
    if os.environ.get("TTT_COMPILE", "1") == "0":
        return False
    return device.type == "cuda" and hasattr(torch, "compile")


def maybe_compile(model, device):
    torch = import_torch()
    if not want_compile(device):
        return model, False
    log("compiling the model with torch.compile (TTT_COMPILE=0 disables)")
    return torch.compile(model), True


def make_optimizer(model, lr, weight_decay, betas, device):
    """AdamW with decay on matrices only (nanoGPT's split: biases and LayerNorm gains are not decayed)."""
    import inspect

    torch = import_torch()
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]
    kwargs = {}
    if device.type == "cuda" and "fused" in inspect.signature(torch.optim.AdamW).parameters:
        kwargs["fused"] = True
    return torch.optim.AdamW(groups, lr=lr, betas=betas, **kwargs), bool(kwargs)


def peak_flops(device):
    torch = import_torch()
    env = os.environ.get("TTT_PEAK_FLOPS")
    if env:
        try:
            return float(env)
        except ValueError:
            raise bad_input(f"TTT_PEAK_FLOPS must be a number, got {env!r}")
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    for key, flops in PEAK_BF16_FLOPS:
        if key in name:
            return flops
    return None


def synchronize(device):
    torch = import_torch()
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def import_onnx():
    try:
        import onnx  # noqa: F401
    except ImportError as exc:
        raise TrainerError(
            "onnx_missing",
            f"the onnx package is not importable ({exc}); install it with `apt-get install python3-onnx` or `pip install onnx`",
            exit_code=4,
        ) from exc
    return onnx
