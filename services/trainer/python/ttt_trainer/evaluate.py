"""`evaluate --weights DIR --val FILE...`: validation loss and perplexity of saved weights, in PyTorch."""
import math

import numpy as np
import torch

from .data import TokenSource
from .events import bad_input, emit
from .hf_weights import load_hf_folder
from .runtime import Precision, configure_threads, resolve_device


@torch.no_grad()
def evaluate(weights, val_paths, max_tokens=None, block_size=None, batch_size=8, device="auto"):
    device = resolve_device(device)
    configure_threads(device.type)
    model = load_hf_folder(weights).to(device)
    T = block_size or model.config.block_size
    if T > model.config.block_size:
        raise bad_input(f"--block-size {T} exceeds the model's n_positions {model.config.block_size}")
    source = TokenSource(val_paths, T, model.config.vocab_size)
    precision = Precision(device)
    total_loss, tokens = 0.0, 0
    xs, ys = [], []

    def flush():
        nonlocal total_loss, tokens
        x = torch.from_numpy(np.stack(xs)).to(device)
        y = torch.from_numpy(np.stack(ys)).to(device)
        with precision.autocast():
            _, loss, _ = model(x, y)
        # Every window is full length, so the token-weighted mean is the batch mean times its size.
        total_loss += loss.float().item() * y.numel()
        tokens += y.numel()
        xs.clear()
        ys.clear()

    for x, y in source.sequential_windows(max_tokens):
        xs.append(x)
        ys.append(y)
        if len(xs) == batch_size:
            flush()
    if xs:
        flush()
    if tokens == 0:
        raise bad_input(f"no complete window of {T + 1} tokens to evaluate (raise --max-tokens or give more data)")
    val_loss = total_loss / tokens
    emit("evaluated", val_loss=val_loss, val_ppl=math.exp(min(val_loss, 700)), tokens=tokens)
    return val_loss
