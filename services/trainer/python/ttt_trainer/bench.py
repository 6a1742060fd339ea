"""`bench --config small|gpt2`: training throughput (tokens/s, and MFU on CUDA) on this machine.

Runs the same Stepper as `train`, so the figures describe the real training path.
"""
import time

import numpy as np
import torch

from .data import TokenSource
from .events import emit
from .model import GPT, GPTConfig
from .runtime import Precision, configure_threads, make_optimizer, maybe_compile, peak_flops, resolve_device, synchronize
from .step import Stepper, to_device

CONFIGS = {
    "tiny": dict(n_layer=2, n_head=2, n_embd=64, block_size=64),
    "small": dict(n_layer=4, n_head=4, n_embd=128, block_size=128),
    "gpt2": dict(n_layer=12, n_head=12, n_embd=768, block_size=1024),
}
DEFAULT_BATCH = {"tiny": 16, "small": 16, "gpt2": 16}


def bench(config="small", steps=20, device="auto", batch_size=None, block_size=None, data=None, warmup=None,
          grad_accum_steps=1, log_interval=5):
    device = resolve_device(device)
    threads = configure_threads(device.type)
    torch.manual_seed(0)
    cfg = GPTConfig(**CONFIGS[config])
    T = block_size or cfg.block_size
    cfg.block_size = max(cfg.block_size, T)
    B = batch_size or (DEFAULT_BATCH[config] if device.type == "cuda" or config != "gpt2" else 1)
    # Compilation and allocator warm-up take the first steps on CUDA.
    warmup = warmup if warmup is not None else (10 if device.type == "cuda" else 2)

    model = GPT(cfg).to(device)
    precision = Precision(device)
    optimizer, fused = make_optimizer(model, 6e-4, 0.1, (0.9, 0.95), device)
    raw = model
    model, compiled = maybe_compile(model, device)
    stepper = Stepper(model, optimizer, precision, 1.0, grad_accum_steps)
    rng = np.random.default_rng(0)
    source = TokenSource(data, T, cfg.vocab_size) if data else None

    def next_batch():
        if source is not None:
            x, y = source.random_batch(rng, B)
        else:
            seq = rng.integers(0, cfg.vocab_size, size=(B, T + 1), dtype=np.int64)
            x, y = seq[:, :-1].copy(), seq[:, 1:].copy()
        return to_device(x, device), to_device(y, device)

    peak = peak_flops(device)
    fpt = raw.flops_per_token(T)
    tokens_per_step = B * T * grad_accum_steps
    emit("bench_start", device=device.type, device_name=torch.cuda.get_device_name(device) if device.type == "cuda" else None,
         dtype=precision.name, compiled=compiled, fused_adamw=fused, params=raw.num_params(), config=config,
         batch_size=B, block_size=T, grad_accum_steps=grad_accum_steps, threads=threads, torch=torch.__version__)

    t0 = time.time()
    for _ in range(warmup):
        stepper(next_batch, 6e-4)
    synchronize(device)
    warmup_s = time.time() - t0
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)

    t0 = time.time()
    window_t0, window_start = t0, 0
    for i in range(1, steps + 1):
        loss = stepper(next_batch, 6e-4)
        if i % log_interval == 0 or i == steps:
            loss_value = loss.item()  # syncs, so the window timing is real
            now = time.time()
            rate = (i - window_start) * tokens_per_step / (now - window_t0)
            emit("bench_step", step=i, loss=loss_value, tokens_per_s=rate, mfu=rate * fpt / peak if peak else None)
            window_t0, window_start = now, i
    synchronize(device)
    seconds = time.time() - t0
    rate = steps * tokens_per_step / seconds
    emit("bench", config=config, device=device.type, tokens_per_s=rate, step_ms=1000 * seconds / steps,
         mfu=rate * fpt / peak if peak else None, peak_flops=peak, warmup_s=warmup_s, steps=steps,
         peak_mem_gb=torch.cuda.max_memory_allocated(device) / 1e9 if device.type == "cuda" else None)
    return rate
