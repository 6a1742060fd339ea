"""`generate --weights DIR --prompt-ids 50256[,ids...] --max-new-tokens N`: the PyTorch reference decode.

model.generate with its KV cache, on the CPU in fp32: what an ONNX decode loop is checked
against token for token. Temperature 0 is greedy.
"""
import math

import torch

from .events import bad_input, emit
from .hf_weights import load_hf_folder
from .runtime import configure_threads


def check_length(model, prompt_len, max_new_tokens):
    if prompt_len + max_new_tokens > model.config.block_size:
        raise bad_input(f"prompt ({prompt_len}) + new tokens ({max_new_tokens}) exceeds the model's "
                        f"n_positions {model.config.block_size}")


def generate(weights, prompt_ids, max_new_tokens, temperature=0.0, top_k=None, seed=0, batch=1):
    if not (math.isfinite(temperature) and temperature >= 0):
        raise bad_input(f"temperature must be a finite number >= 0, got {temperature}")
    configure_threads("cpu")
    model = load_hf_folder(weights)
    vocab = model.config.vocab_size
    bad = [i for i in prompt_ids if not 0 <= i < vocab]
    if bad:
        raise bad_input(f"prompt ids {bad[:5]} are outside the vocabulary (0..{vocab - 1})")
    check_length(model, len(prompt_ids), max_new_tokens)

    idx = torch.tensor([prompt_ids] * batch, dtype=torch.long)
    # A private generator: the draw depends on --seed only, not on what else touched the global RNG.
    generator = torch.Generator().manual_seed(seed)
    with torch.inference_mode():
        out = model.generate(idx, max_new_tokens, temperature=temperature, top_k=top_k, generator=generator)
    new = out[:, len(prompt_ids):].tolist()
    emit("generated", ids=new)
    return new
