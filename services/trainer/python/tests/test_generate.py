import os
import tempfile
import unittest

import torch

from helpers import run_cli, tiny_model
from ttt_trainer.hf_weights import save_hf_folder


class GenerateCommandTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory()
        cls.model = tiny_model()
        cls.weights = os.path.join(cls._tmp.name, "weights")
        save_hf_folder(cls.model, cls.weights)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def generate(self, *extra):
        rc, events, err = run_cli("generate", "--weights", self.weights, *extra)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["event"], "generated")
        return events[0]["ids"]

    def test_greedy_is_deterministic_and_matches_the_model(self):
        args = ("--prompt-ids", "50256,11,12", "--max-new-tokens", "6", "--batch", "2")
        first = self.generate(*args)
        self.assertEqual(first, self.generate(*args))
        self.assertEqual([len(row) for row in first], [6, 6])
        self.assertEqual(first[0], first[1])
        want = self.model.generate(torch.tensor([[50256, 11, 12]]), 6, temperature=0)
        self.assertEqual(first[0], want[0, 3:].tolist())

    def test_sampling_follows_the_seed(self):
        args = ("--prompt-ids", "50256", "--max-new-tokens", "5", "--temperature", "1", "--top-k", "50", "--batch", "2")
        a = self.generate(*args, "--seed", "1")
        self.assertEqual(a, self.generate(*args, "--seed", "1"))
        self.assertNotEqual(a, self.generate(*args, "--seed", "2"))
        self.assertEqual([len(row) for row in a], [5, 5])

    def test_past_the_positions_is_bad_input(self):
        rc, events, _ = run_cli("generate", "--weights", self.weights, "--prompt-ids", "50256", "--max-new-tokens", "32")
        self.assertEqual(rc, 2)
        self.assertIn("n_positions", events[-1]["reason"])

    def test_token_outside_the_vocabulary_is_bad_input(self):
        rc, events, _ = run_cli("generate", "--weights", self.weights, "--prompt-ids", "50257", "--max-new-tokens", "1")
        self.assertEqual(rc, 2)
        self.assertEqual(events[-1]["code"], "bad_input")

    def test_bench_generate_reports_each_batch_size(self):
        rc, events, err = run_cli("bench-generate", "--weights", self.weights, "--batch", "1,3", "--new-tokens", "4",
                                  "--rounds", "2", "--threads", "1")
        self.assertEqual(rc, 0, err)
        self.assertEqual([e["event"] for e in events], ["bench_generate", "bench_generate"])
        self.assertEqual([e["batch"] for e in events], [1, 3])
        for e in events:
            self.assertEqual(e["new_tokens"], 4)
            self.assertGreater(e["tokens_per_second"], 0)
            self.assertGreater(e["seconds_per_sequence_p50"], 0)
            self.assertEqual(len(e["runs"]), 2)
            self.assertTrue(all(r > 0 for r in e["runs"]))
            self.assertEqual(e["threads"], 1)
            self.assertEqual(e["torch"], torch.__version__)


if __name__ == "__main__":
    unittest.main()
