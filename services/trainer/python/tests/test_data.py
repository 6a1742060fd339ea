import os
import unittest

import numpy as np

from helpers import random_tokens, temp_dir, write_tokens
from ttt_trainer.data import TokenSource
from ttt_trainer.events import TrainerError


class TokenFileTest(unittest.TestCase):
    def assertBadFile(self, path, fragment):
        with self.assertRaises(TrainerError) as ctx:
            TokenSource([path], 16, 50257)
        self.assertEqual(ctx.exception.code, "bad_input")
        self.assertEqual(ctx.exception.exit_code, 2)
        self.assertIn(path, ctx.exception.reason)
        self.assertIn(fragment, ctx.exception.reason)

    def test_odd_size_is_rejected(self):
        path = os.path.join(temp_dir(self), "odd.bin")
        with open(path, "wb") as f:
            f.write(b"\x01" * 101)
        self.assertBadFile(path, "multiple of 2")

    def test_token_out_of_vocab_is_rejected(self):
        path = write_tokens(os.path.join(temp_dir(self), "big.bin"), [1] * 50 + [60000] + [2] * 10)
        self.assertBadFile(path, "60000")

    def test_too_short_is_rejected(self):
        path = write_tokens(os.path.join(temp_dir(self), "short.bin"), [1] * 16)
        self.assertBadFile(path, "fewer than block_size")

    def test_missing_file_is_rejected(self):
        self.assertBadFile(os.path.join(temp_dir(self), "nope.bin"), "does not exist")

    def test_batches_are_shifted_windows_and_sampled_by_size(self):
        d = temp_dir(self)
        a = write_tokens(os.path.join(d, "a.bin"), np.arange(1000) % 50000)
        b = write_tokens(os.path.join(d, "b.bin"), np.full(116, 50001))
        src = TokenSource([a, b], 16, 50257)
        x, y = src.random_batch(np.random.default_rng(0), 4000)
        self.assertTrue(np.array_equal(x[:, 1:], y[:, :-1]))
        from_b = (x[:, 0] == 50001).mean()
        self.assertAlmostEqual(from_b, 100 / (984 + 100), delta=0.02)
        v1 = src.fixed_batches(4, 3)
        v2 = src.fixed_batches(4, 3)
        self.assertTrue(all(np.array_equal(p[0], q[0]) for p, q in zip(v1, v2)))

    def test_sequential_windows_do_not_overlap(self):
        path = write_tokens(os.path.join(temp_dir(self), "s.bin"), random_tokens(100))
        windows = list(TokenSource([path], 16, 50257).sequential_windows())
        self.assertEqual(len(windows), 6)  # starts 0,16,..,80; 96+17 > 100


if __name__ == "__main__":
    unittest.main()
