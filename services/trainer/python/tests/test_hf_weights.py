import json
import os
import unittest

import numpy as np
import torch

from helpers import temp_dir, tiny_model
from ttt_trainer.events import TrainerError
from ttt_trainer.hf_weights import load_hf_folder, read_safetensors, save_hf_folder, write_safetensors


class HFWeightsTest(unittest.TestCase):
    def test_round_trip_gives_same_logits(self):
        d = temp_dir(self)
        model = tiny_model()
        save_hf_folder(model, d)
        with open(os.path.join(d, "config.json")) as f:
            cfg = json.load(f)
        self.assertEqual(cfg["model_type"], "gpt2")
        self.assertEqual(cfg["architectures"], ["GPT2LMHeadModel"])
        sd = torch.load(os.path.join(d, "pytorch_model.bin"))
        # Conv1D layout: [in, out]
        self.assertEqual(tuple(sd["transformer.h.0.attn.c_attn.weight"].shape), (32, 96))
        self.assertIn("lm_head.weight", sd)
        loaded = load_hf_folder(d)
        ids = torch.randint(0, 50257, (2, 10))
        with torch.no_grad():
            torch.testing.assert_close(loaded(ids)[0], model(ids)[0])

    def test_safetensors_reader_handles_f32_f16_bf16(self):
        d = temp_dir(self)
        path = os.path.join(d, "t.safetensors")
        a = torch.randn(3, 4)
        write_safetensors(path, {"a": a})
        torch.testing.assert_close(read_safetensors(path)["a"], a)

        # hand-built file with F16 and BF16 tensors and a metadata entry
        f16 = np.array([1.5, -2.25], dtype="<f2").tobytes()
        bf16_values = np.array([3.0, -0.5], dtype=np.float32)
        bf16 = (bf16_values.view(np.uint32) >> 16).astype("<u2").tobytes()
        header = {"__metadata__": {"format": "pt"},
                  "h": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
                  "b": {"dtype": "BF16", "shape": [2], "data_offsets": [4, 8]}}
        head = json.dumps(header).encode()
        with open(path, "wb") as f:
            f.write(len(head).to_bytes(8, "little") + head + f16 + bf16)
        out = read_safetensors(path)
        self.assertEqual(out["h"].tolist(), [1.5, -2.25])
        self.assertEqual(out["b"].tolist(), [3.0, -0.5])

    def test_loads_safetensors_with_unprefixed_gpt2_names(self):
        # The original gpt2 repo names tensors like GPT2Model: "h.0.attn.c_attn.weight", no "transformer."
        d = temp_dir(self)
        model = tiny_model(seed=3)
        save_hf_folder(model, d)
        sd = torch.load(os.path.join(d, "pytorch_model.bin"))
        os.remove(os.path.join(d, "pytorch_model.bin"))
        renamed = {k.replace("transformer.", "", 1): v for k, v in sd.items() if k != "lm_head.weight"}
        renamed["h.0.attn.bias"] = torch.ones(1, 1, 32, 32)  # legacy mask buffer, ignored
        write_safetensors(os.path.join(d, "model.safetensors"), renamed)
        ids = torch.randint(0, 50257, (1, 7))
        with torch.no_grad():
            torch.testing.assert_close(load_hf_folder(d)(ids)[0], model(ids)[0])

    def test_mismatched_config_is_bad_input(self):
        d = temp_dir(self)
        save_hf_folder(tiny_model(), d)
        with open(os.path.join(d, "config.json")) as f:
            cfg = json.load(f)
        cfg["n_layer"] = 3
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(cfg, f)
        with self.assertRaises(TrainerError) as ctx:
            load_hf_folder(d)
        self.assertEqual(ctx.exception.code, "bad_input")


if __name__ == "__main__":
    unittest.main()
