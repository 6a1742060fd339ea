"""`init --config tiny|small|gpt2 --seed N --out DIR [--eos-logit L]`: a randomly initialised model folder, exported and quantized (8-bit and 4-bit).

For tests and inference benchmarks that need a real model folder (HF weights, ONNX fp32
and int8) without training one. Same seed, same weights. A random model almost never ends a
text (end-of-text is one token in 50,257); `--eos-logit` makes it end after a dozen tokens or
so, as a trained one does, for tests of what happens to texts that end and texts cut off.
"""
import os

import torch

from .bench import CONFIGS
from .events import bad_input, emit
from .export_onnx import export
from .hf_weights import save_hf_folder
from .model import GPT, GPT2_EOS, GPTConfig
from .quantize import quantize
from .runtime import import_onnx

FILES = ("config.json", "generation_config.json", "pytorch_model.bin", "onnx/model.onnx", "onnx/model_quantized.onnx", "onnx/model_q4.onnx")


def init_model(config, seed, out, block_size=None, eos_logit=None):
    # Export needs onnx: fail before writing anything rather than leave a half-made folder.
    import_onnx()
    if config not in CONFIGS:
        raise bad_input(f"unknown config {config!r} (known: {', '.join(CONFIGS)})")
    if os.path.isfile(os.path.join(out, "model.safetensors")):
        # The loader prefers safetensors, so export would read the old weights, not the new ones.
        raise bad_input(f"{out} already holds a model.safetensors; use an empty folder")
    shape = dict(CONFIGS[config])
    if block_size is not None:
        shape["block_size"] = block_size
    try:
        cfg = GPTConfig(**shape).validate()
    except ValueError as exc:
        raise bad_input(str(exc))

    torch.manual_seed(seed)
    model = GPT(cfg)
    if eos_logit is not None:
        end_text_everywhere(model, eos_logit)
    save_hf_folder(model, out)
    # Export reads the folder back, so the ONNX graph holds exactly the weights on disk.
    fp32 = export(out, out)
    quantize(fp32, os.path.join(out, "onnx", "model_quantized.onnx"))
    quantize(fp32, os.path.join(out, "onnx", "model_q4.onnx"), bits=4)
    emit("initialized", out=out, config=config, seed=seed, params=model.num_params(), n_layer=cfg.n_layer,
         n_head=cfg.n_head, n_embd=cfg.n_embd, block_size=cfg.block_size, vocab_size=cfg.vocab_size,
         bytes={name: os.path.getsize(os.path.join(out, name)) for name in FILES})
    return out


@torch.no_grad()
def end_text_everywhere(model, logit):
    """Gives end-of-text about the same logit at every position: the final layer norm writes a
    constant into one coordinate that only end-of-text's (tied) embedding reads. The other
    tokens' logits stay near 0, so P(end) is about e^logit / (e^logit + 50,256)."""
    k = 0
    ln_f, wte = model.transformer.ln_f, model.transformer.wte.weight
    ln_f.weight[k] = 0.0
    ln_f.bias[k] = float(logit)
    wte[:, k] = 0.0
    wte[GPT2_EOS, k] = 1.0
