"""Token files: flat little-endian uint16 token ids, read through np.memmap.

Training draws random windows of block_size + 1 tokens (inputs and shifted targets)
across all files, each file weighted by how many windows it holds, so a small file
is not oversampled. Validation windows are fixed so losses are comparable across evals.
"""
import os

import numpy as np

from .events import bad_input

TOKEN_DTYPE = np.dtype("<u2")
_SCAN_CHUNK = 1 << 24  # tokens per max() pass: bounds memory on multi-GB files


def open_token_file(path, block_size, vocab_size):
    """Memory-map and validate one token file; every problem is a bad_input naming the file."""
    if not os.path.isfile(path):
        raise bad_input(f"token file {path} does not exist or is not a file")
    try:
        size = os.path.getsize(path)
        if size % TOKEN_DTYPE.itemsize:
            raise bad_input(f"token file {path} is {size} bytes, not a multiple of 2: not a uint16 token file")
        n = size // TOKEN_DTYPE.itemsize
        if n < block_size + 1:
            raise bad_input(
                f"token file {path} holds {n} tokens, fewer than block_size + 1 = {block_size + 1}; "
                "give it more text or lower block_size"
            )
        tokens = np.memmap(path, dtype=TOKEN_DTYPE, mode="r")
        for start in range(0, n, _SCAN_CHUNK):
            top = int(tokens[start : start + _SCAN_CHUNK].max())
            if top >= vocab_size:
                raise bad_input(
                    f"token file {path} contains token id {top} >= vocab_size {vocab_size}: "
                    "wrong tokenizer or a corrupt file"
                )
    except OSError as exc:
        raise bad_input(f"token file {path} cannot be read ({exc})")
    return tokens


class TokenSource:
    def __init__(self, paths, block_size, vocab_size):
        if not paths:
            raise bad_input("no token files given")
        self.paths = list(paths)
        self.block_size = block_size
        self.files = [open_token_file(p, block_size, vocab_size) for p in self.paths]
        # Start offsets o with o + block_size + 1 <= len.
        self.windows = np.array([len(t) - block_size for t in self.files], dtype=np.int64)
        self.weights = self.windows / self.windows.sum()

    @property
    def num_tokens(self):
        return int(sum(len(t) for t in self.files))

    def random_batch(self, rng, batch_size):
        """(x, y) int64 arrays [batch_size, block_size] of random windows; rng is a numpy Generator."""
        which = rng.choice(len(self.files), size=batch_size, p=self.weights)
        x = np.empty((batch_size, self.block_size), dtype=np.int64)
        y = np.empty((batch_size, self.block_size), dtype=np.int64)
        for row, f in enumerate(which):
            o = int(rng.integers(0, self.windows[f]))
            chunk = self.files[f][o : o + self.block_size + 1]
            x[row] = chunk[:-1]
            y[row] = chunk[1:]
        return x, y

    def fixed_batches(self, batch_size, count, seed=0):
        """The same `count` batches every call: eval losses move only when the model does."""
        rng = np.random.default_rng(seed)
        return [self.random_batch(rng, batch_size) for _ in range(count)]

    def sequential_windows(self, max_tokens=None):
        """Non-overlapping windows in file order, for a full deterministic evaluation."""
        T = self.block_size
        seen = 0
        for tokens in self.files:
            for o in range(0, len(tokens) - T, T):
                if max_tokens is not None and seen + T > max_tokens:
                    return
                chunk = np.asarray(tokens[o : o + T + 1], dtype=np.int64)
                seen += T
                yield chunk[:-1], chunk[1:]
