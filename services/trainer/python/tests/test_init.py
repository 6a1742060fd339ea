import contextlib
import io
import json
import os
import tempfile
import unittest

import onnx
import torch
from onnx import numpy_helper

from helpers import run_cli, temp_dir
from ttt_trainer.events import TrainerError
from ttt_trainer.hf_weights import load_hf_folder, read_hf_state_dict
from ttt_trainer.init_model import FILES, init_model


def quiet_init(*args, **kwargs):
    # Called in-process, emit writes to sys.stdout; keep the events out of the test report.
    with contextlib.redirect_stdout(io.StringIO()):
        return init_model(*args, **kwargs)


class InitCommandTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls._tmp.name, "a")
        cls.rc, cls.events, cls.stderr = run_cli("init", "--config", "tiny", "--seed", "7", "--out", cls.out,
                                                 "--block-size", "32")

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_writes_a_loadable_folder(self):
        self.assertEqual(self.rc, 0, self.stderr)
        last = self.events[-1]
        self.assertEqual(last["event"], "initialized")
        for name in FILES:
            path = os.path.join(self.out, name)
            self.assertTrue(os.path.isfile(path), name)
            self.assertEqual(last["bytes"][name], os.path.getsize(path))
        model = load_hf_folder(self.out)
        c = model.config
        # the tiny preset's shape, with the positions asked for
        self.assertEqual((c.n_layer, c.n_head, c.n_embd, c.block_size, c.vocab_size), (2, 2, 64, 32, 50257))
        self.assertEqual(last["params"], model.num_params())
        with open(os.path.join(self.out, "config.json")) as f:
            self.assertEqual(json.load(f)["n_positions"], 32)

    def test_onnx_holds_the_saved_weights(self):
        self.assertEqual(self.rc, 0, self.stderr)
        m = onnx.load(os.path.join(self.out, "onnx", "model.onnx"))
        onnx.checker.check_model(m)
        wte = load_hf_folder(self.out).transformer.wte.weight.detach().numpy()
        tables = [numpy_helper.to_array(i) for i in m.graph.initializer if list(i.dims) == list(wte.shape)]
        self.assertEqual(len(tables), 1)
        self.assertTrue((tables[0] == wte).all())
        q = onnx.load(os.path.join(self.out, "onnx", "model_quantized.onnx"))
        self.assertEqual([n.op_type for n in q.graph.node].count("MatMulNBits"), 2 * 4 + 1)

    def test_same_seed_gives_identical_weights(self):
        self.assertEqual(self.rc, 0, self.stderr)
        again = quiet_init("tiny", 7, os.path.join(temp_dir(self), "b"), block_size=32)
        want, got = read_hf_state_dict(self.out), read_hf_state_dict(again)
        self.assertEqual(sorted(want), sorted(got))
        for name in want:
            self.assertTrue(torch.equal(want[name], got[name]), name)
        for name in ("onnx/model.onnx", "onnx/model_quantized.onnx"):
            with open(os.path.join(self.out, name), "rb") as a, open(os.path.join(again, name), "rb") as b:
                self.assertTrue(a.read() == b.read(), f"{name} differs between two inits with the same seed")

    def test_another_seed_gives_other_weights(self):
        self.assertEqual(self.rc, 0, self.stderr)
        other = quiet_init("tiny", 8, os.path.join(temp_dir(self), "c"), block_size=32)
        key = "transformer.wte.weight"
        self.assertFalse(torch.equal(read_hf_state_dict(self.out)[key], read_hf_state_dict(other)[key]))

    def test_a_folder_with_safetensors_is_refused(self):
        out = temp_dir(self)
        open(os.path.join(out, "model.safetensors"), "wb").close()
        with self.assertRaises(TrainerError) as ctx:
            quiet_init("tiny", 1, out)
        self.assertEqual(ctx.exception.exit_code, 2)

    def test_unknown_config_is_bad_input(self):
        rc, events, _ = run_cli("init", "--config", "huge", "--seed", "1", "--out", temp_dir(self))
        self.assertEqual(rc, 2)
        self.assertEqual(events[-1]["code"], "bad_input")


if __name__ == "__main__":
    unittest.main()
