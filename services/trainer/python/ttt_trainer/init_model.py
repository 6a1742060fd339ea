"""`init --config tiny|small|gpt2 --seed N --out DIR`: a randomly initialised model folder, exported and quantized (8-bit and 4-bit).

For tests and inference benchmarks that need a real model folder (HF weights, ONNX fp32
and int8) without training one. Same seed, same weights.
"""
import os

import torch

from .bench import CONFIGS
from .events import bad_input, emit
from .export_onnx import export
from .hf_weights import save_hf_folder
from .model import GPT, GPTConfig
from .quantize import quantize
from .runtime import import_onnx

FILES = ("config.json", "generation_config.json", "pytorch_model.bin", "onnx/model.onnx", "onnx/model_quantized.onnx", "onnx/model_q4.onnx")


def init_model(config, seed, out, block_size=None):
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
    save_hf_folder(model, out)
    # Export reads the folder back, so the ONNX graph holds exactly the weights on disk.
    fp32 = export(out, out)
    quantize(fp32, os.path.join(out, "onnx", "model_quantized.onnx"))
    quantize(fp32, os.path.join(out, "onnx", "model_q4.onnx"), bits=4)
    emit("initialized", out=out, config=config, seed=seed, params=model.num_params(), n_layer=cfg.n_layer,
         n_head=cfg.n_head, n_embd=cfg.n_embd, block_size=cfg.block_size, vocab_size=cfg.vocab_size,
         bytes={name: os.path.getsize(os.path.join(out, name)) for name in FILES})
    return out
