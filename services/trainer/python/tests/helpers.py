import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

from ttt_trainer.model import GPT, GPTConfig

PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = dict(n_layer=2, n_head=2, n_embd=32, block_size=32, vocab_size=50257)


def tiny_model(seed=0, **overrides):
    torch.manual_seed(seed)
    return GPT(GPTConfig(**{**TINY, **overrides})).eval()


def temp_dir(test):
    d = tempfile.TemporaryDirectory()
    test.addCleanup(d.cleanup)
    return d.name


def write_tokens(path, tokens):
    np.asarray(tokens, dtype="<u2").tofile(path)
    return path


def random_tokens(n, seed=0, high=50257):
    return np.random.default_rng(seed).integers(0, high, size=n)


def run_cli(*args):
    proc = subprocess.run([sys.executable, "-m", "ttt_trainer", *args], cwd=PKG_ROOT, capture_output=True, text=True,
                          timeout=120)
    events = [json.loads(line) for line in proc.stdout.splitlines()]  # every stdout line must be JSON
    return proc.returncode, events, proc.stderr


__all__ = ["tiny_model", "temp_dir", "write_tokens", "random_tokens", "run_cli"]
