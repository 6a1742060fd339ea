import json
import os
import unittest

from helpers import random_tokens, run_cli, temp_dir, write_tokens


class TrainCommandTest(unittest.TestCase):
    def setUp(self):
        self.dir = temp_dir(self)
        self.train = write_tokens(os.path.join(self.dir, "t.bin"), random_tokens(4000, seed=1))
        self.val = write_tokens(os.path.join(self.dir, "v.bin"), random_tokens(500, seed=2))

    def write_spec(self, **hp_overrides):
        spec = {
            "runDir": os.path.join(self.dir, "run"),
            "train": [self.train],
            "val": [self.val],
            "init": {"kind": "scratch", "config": {"n_layer": 1, "n_head": 1, "n_embd": 16, "block_size": 16}},
            "hyperparameters": {"max_steps": 4, "batch_size": 2, "eval_interval": 2, "eval_iters": 1,
                                "checkpoint_interval": 2, "log_interval": 1, **hp_overrides},
            "device": "cpu",
        }
        path = os.path.join(self.dir, "spec.json")
        with open(path, "w") as f:
            json.dump(spec, f)
        return path

    def test_train_writes_final_weights_and_resumes(self):
        spec = self.write_spec()
        rc, events, err = run_cli("train", "--spec", spec)
        self.assertEqual(rc, 0, err)
        kinds = [e["event"] for e in events]
        self.assertEqual(kinds[0], "start")
        self.assertEqual(kinds[-1], "done")
        self.assertEqual(kinds.count("checkpoint"), 2)
        self.assertEqual(events[-1]["step"], 4)
        final = os.path.join(self.dir, "run", "final")
        self.assertTrue(os.path.isfile(os.path.join(final, "pytorch_model.bin")))
        self.assertTrue(os.path.isfile(os.path.join(final, "config.json")))

        rc, events, err = run_cli("train", "--spec", spec)
        self.assertEqual(rc, 0, err)
        self.assertEqual(events[0], {"event": "resume", "step": 4})
        self.assertEqual(events[1]["resumed_from"], 4)

    def test_unknown_hyperparameter_is_bad_input(self):
        rc, events, _ = run_cli("train", "--spec", self.write_spec(learning_rat=1e-3))
        self.assertEqual(rc, 2)
        self.assertEqual(events[-1]["event"], "error")
        self.assertEqual(events[-1]["code"], "bad_input")
        self.assertIn("learning_rat", events[-1]["reason"])

    def test_diverging_run_stops_with_nan_loss(self):
        rc, events, _ = run_cli("train", "--spec", self.write_spec(learning_rate=1e30, min_lr=0, warmup_steps=0,
                                                                 grad_clip=0, max_steps=20))
        self.assertEqual(rc, 3)
        self.assertEqual(events[-1]["code"], "nan_loss")
        self.assertIn("learning_rate", events[-1]["reason"])


if __name__ == "__main__":
    unittest.main()
