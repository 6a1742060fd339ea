"""Read and write Hugging Face GPT-2 folders (config.json + pytorch_model.bin or model.safetensors).

HF's GPT-2 uses Conv1D, whose weight is [in, out]: the transpose of nn.Linear's.
"""
import json
import os

import numpy as np
import torch

from .events import bad_input
from .model import GPT, GPTConfig, GPT2_EOS

CONV1D_SUFFIXES = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
# Causal-mask buffers that old checkpoints carry; the model builds its masks itself.
IGNORED_SUFFIXES = (".attn.bias", ".attn.masked_bias")

SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16}


def read_safetensors(path, skip=lambda name: False):
    """Parse a .safetensors file: u64 little-endian header size, JSON header, then raw tensors.

    Tensors for which skip(name) is true are not decoded, so an unneeded buffer in an
    unsupported dtype does not stop the load.
    """
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise bad_input(f"{path}: too short to be a safetensors file")
    header_len = int.from_bytes(raw[:8], "little")
    if header_len > len(raw) - 8:
        raise bad_input(f"{path}: header length {header_len} is past the end of the file")
    try:
        header = json.loads(raw[8 : 8 + header_len])
    except ValueError as exc:
        raise bad_input(f"{path}: unreadable safetensors header ({exc})")
    data = memoryview(raw)[8 + header_len :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or skip(name):
            continue
        dtype = info.get("dtype")
        if dtype not in SAFETENSORS_DTYPES:
            raise bad_input(f"{path}: tensor {name} has dtype {dtype}; only F32, F16 and BF16 are supported")
        start, end = info["data_offsets"]
        shape = tuple(info["shape"])
        np_dtype = np.dtype(SAFETENSORS_DTYPES[dtype]).newbyteorder("<")
        if end > len(data) or end - start != int(np.prod(shape, dtype=np.int64)) * np_dtype.itemsize:
            raise bad_input(f"{path}: tensor {name} has offsets that do not match its shape")
        arr = np.frombuffer(data[start:end], dtype=np_dtype).reshape(shape)
        if dtype == "BF16":
            # bf16 is the top half of a float32: shift the bits up.
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        tensors[name] = torch.from_numpy(arr.astype(np.float32))
    return tensors


def write_safetensors(path, tensors):
    """F32 only; used by tests and for handing weights to tools that prefer safetensors."""
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        b = t.detach().cpu().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)  # the format aligns the data start to 8 bytes
    with open(path, "wb") as f:
        f.write(len(head).to_bytes(8, "little"))
        f.write(head)
        for b in blobs:
            f.write(b)


def config_from_hf(hf):
    if hf.get("model_type", "gpt2") != "gpt2":
        raise bad_input(f"config.json model_type is {hf.get('model_type')!r}; only gpt2 is supported")
    unsupported = {
        "activation_function": lambda v: v in (None, "gelu_new", "gelu_pytorch_tanh"),
        "n_inner": lambda v: v is None or v == 4 * hf.get("n_embd", 768),
        "scale_attn_by_inverse_layer_idx": lambda v: not v,
        "reorder_and_upcast_attn": lambda v: True,  # changes precision only, not the math
        "scale_attn_weights": lambda v: v in (None, True),
    }
    for key, ok in unsupported.items():
        if key in hf and not ok(hf[key]):
            raise bad_input(f"config.json {key}={hf[key]!r} is not supported by this GPT-2 implementation")
    try:
        return GPTConfig(
            n_layer=hf["n_layer"],
            n_head=hf["n_head"],
            n_embd=hf["n_embd"],
            block_size=hf.get("n_positions", hf.get("n_ctx", 1024)),
            vocab_size=hf.get("vocab_size", 50257),
            layer_norm_epsilon=hf.get("layer_norm_epsilon", 1e-5),
        ).validate()
    except KeyError as exc:
        raise bad_input(f"config.json is missing {exc}")
    except ValueError as exc:
        raise bad_input(f"config.json: {exc}")


def config_to_hf(config):
    c = config
    return {
        "activation_function": "gelu_new",
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": c.dropout,
        "bos_token_id": GPT2_EOS,
        "embd_pdrop": c.dropout,
        "eos_token_id": GPT2_EOS,
        "initializer_range": 0.02,
        "layer_norm_epsilon": c.layer_norm_epsilon,
        "model_type": "gpt2",
        "n_ctx": c.block_size,
        "n_embd": c.n_embd,
        "n_head": c.n_head,
        "n_inner": None,
        "n_layer": c.n_layer,
        "n_positions": c.block_size,
        "reorder_and_upcast_attn": False,
        "resid_pdrop": c.dropout,
        "scale_attn_by_inverse_layer_idx": False,
        "scale_attn_weights": True,
        "summary_activation": None,
        "summary_first_dropout": 0.1,
        "summary_proj_to_labels": True,
        "summary_type": "cls_index",
        "summary_use_proj": True,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": c.vocab_size,
    }


def _torch_load(path):
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except TypeError:  # torch older than 1.13 has no weights_only
        return torch.load(path, map_location="cpu")


def read_hf_state_dict(folder):
    st = os.path.join(folder, "model.safetensors")
    bin_ = os.path.join(folder, "pytorch_model.bin")
    if os.path.isfile(st):
        return read_safetensors(st, skip=lambda name: name.endswith(IGNORED_SUFFIXES))
    if os.path.isfile(bin_):
        try:
            sd = _torch_load(bin_)
        except Exception as exc:
            raise bad_input(f"{bin_}: cannot be read as a PyTorch state dict ({exc})")
        if not isinstance(sd, dict):
            raise bad_input(f"{bin_}: is not a state dict")
        return sd
    raise bad_input(f"{folder}: has neither model.safetensors nor pytorch_model.bin")


def hf_to_model_state(hf_sd):
    """HF tensor names and layouts -> GPT's state dict."""
    out = {}
    for name, t in hf_sd.items():
        if name.endswith(IGNORED_SUFFIXES) or name == "lm_head.weight":
            continue
        key = name if name.startswith("transformer.") else "transformer." + name  # GPT2Model has no prefix
        t = t.detach().to(torch.float32)
        if key.endswith(CONV1D_SUFFIXES):
            t = t.t()
        out[key] = t.contiguous()
    return out


def load_hf_folder(folder, dropout=0.0):
    """Return a GPT built from an HF GPT-2 folder (fp32, CPU, eval mode)."""
    cfg_path = os.path.join(folder, "config.json")
    if not os.path.isfile(cfg_path):
        raise bad_input(f"{folder}: no config.json")
    try:
        with open(cfg_path) as f:
            hf = json.load(f)
    except ValueError as exc:
        raise bad_input(f"{cfg_path}: not valid JSON ({exc})")
    config = config_from_hf(hf)
    config.dropout = dropout
    model = GPT(config)
    sd = hf_to_model_state(read_hf_state_dict(folder))
    want = model.state_dict()
    missing = sorted(set(want) - set(sd))
    extra = sorted(set(sd) - set(want))
    if missing or extra:
        raise bad_input(f"{folder}: weights do not match config.json (missing {missing[:5]}, unexpected {extra[:5]})")
    for k, t in sd.items():
        if t.shape != want[k].shape:
            raise bad_input(f"{folder}: {k} has shape {tuple(t.shape)}, config.json implies {tuple(want[k].shape)}")
    model.load_state_dict(sd)
    model.eval()
    return model


def _atomic(path, write):
    tmp = path + ".tmp"
    write(tmp)
    os.replace(tmp, path)


def save_hf_folder(model, folder):
    """Write config.json + pytorch_model.bin with GPT2LMHeadModel names."""
    os.makedirs(folder, exist_ok=True)
    sd = {}
    for k, t in model.state_dict().items():
        t = t.detach().to("cpu", torch.float32)
        sd[k] = (t.t() if k.endswith(CONV1D_SUFFIXES) else t).contiguous()
    # Same tensor object: torch.save stores the storage once, and HF sees its tie.
    sd["lm_head.weight"] = sd["transformer.wte.weight"]

    def write_config(p):
        with open(p, "w") as f:
            json.dump(config_to_hf(model.config), f, indent=2)

    _atomic(os.path.join(folder, "pytorch_model.bin"), lambda p: torch.save(sd, p))
    _atomic(os.path.join(folder, "config.json"), write_config)
