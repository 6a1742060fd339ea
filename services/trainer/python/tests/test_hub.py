import io
import os
import unittest
import urllib.error
from unittest import mock

import torch

from helpers import temp_dir, tiny_model
from ttt_trainer import hub
from ttt_trainer.events import TrainerError
from ttt_trainer.hf_weights import load_hf_folder, save_hf_folder, write_safetensors


class HubTest(unittest.TestCase):
    def test_network_error_says_hub_unreachable(self):
        with mock.patch.dict(os.environ, {"TTT_HUB_CACHE": temp_dir(self)}), \
                mock.patch("urllib.request.urlopen", side_effect=urllib.error.URLError("no route")):
            with self.assertRaises(TrainerError) as ctx:
                hub.fetch("gpt2")
        self.assertEqual(ctx.exception.code, "hub_unreachable")
        self.assertIn('"kind": "weights"', ctx.exception.reason)

    def test_download_lands_in_cache_and_loads(self):
        src = temp_dir(self)
        model = tiny_model(seed=5)
        save_hf_folder(model, src)
        sd = torch.load(os.path.join(src, "pytorch_model.bin"))
        write_safetensors(os.path.join(src, "model.safetensors"), sd)
        urls = []

        def fake_urlopen(request, timeout=None):
            urls.append(request.full_url)
            with open(os.path.join(src, request.full_url.rsplit("/", 1)[1]), "rb") as f:
                return io.BytesIO(f.read())

        cache = temp_dir(self)
        env = {"TTT_HUB_CACHE": cache, "HF_ENDPOINT": "https://huggingface.co"}
        with mock.patch.dict(os.environ, env), mock.patch("urllib.request.urlopen", fake_urlopen):
            folder = hub.fetch("org/tiny")
            self.assertEqual(hub.fetch("org/tiny"), folder)  # second call is served from the cache
        self.assertEqual(urls, ["https://huggingface.co/org/tiny/resolve/main/config.json",
                                "https://huggingface.co/org/tiny/resolve/main/model.safetensors"])
        ids = torch.randint(0, 50257, (1, 5))
        with torch.no_grad():
            torch.testing.assert_close(load_hf_folder(folder)(ids)[0], model(ids)[0])


if __name__ == "__main__":
    unittest.main()
