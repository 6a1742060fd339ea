"""Write a PyTorch reference case for tools/ort_parity.mjs: inputs as JSON, logits as raw float32.

Usage: /usr/bin/python3 tools/parity_case.py <weights dir> <out dir> [--random N]
Two decoding steps on a left-padded batch (prompt with empty past, then one token with past),
plus N random prompts whose last-token argmax the int8 model should reproduce.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from ttt_trainer.hf_weights import load_hf_folder  # noqa: E402


def hf_positions(mask):
    # What transformers.js derives from the mask: cumsum - 1, with pads pinned to 1.
    pos = mask.cumsum(-1) - 1
    return pos.masked_fill(mask == 0, 1)


def main():
    weights, out = sys.argv[1], sys.argv[2]
    n_random = int(sys.argv[sys.argv.index("--random") + 1]) if "--random" in sys.argv else 32
    os.makedirs(out, exist_ok=True)
    model = load_hf_folder(weights)
    V, T = model.config.vocab_size, 6
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, V, (2, T), generator=g)
    mask = torch.ones(2, T, dtype=torch.long)
    mask[1, :2] = 0  # left padding on the second row
    ids[1, :2] = 50256 if V > 50256 else 0
    pos = hf_positions(mask)
    with torch.no_grad():
        logits1, _, past = model(ids, attention_mask=mask, position_ids=pos)
        nxt = logits1[:, -1].argmax(-1, keepdim=True)
        mask2 = torch.cat([mask, torch.ones(2, 1, dtype=torch.long)], 1)
        pos2 = pos[:, -1:] + 1
        logits2, _, _ = model(nxt, past_key_values=past, attention_mask=mask2, position_ids=pos2)
        rand = torch.randint(0, V, (n_random, 16), generator=g)
        rand_logits, _, _ = model(rand)
    case = {
        "n_layer": model.config.n_layer, "n_head": model.config.n_head,
        "head_dim": model.config.n_embd // model.config.n_head, "vocab": V,
        "step1": {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "position_ids": pos.tolist()},
        "step2": {"input_ids": nxt.tolist(), "attention_mask": mask2.tolist(), "position_ids": pos2.tolist()},
        "random": {"input_ids": rand.tolist(), "argmax_last": rand_logits[:, -1].argmax(-1).tolist()},
    }
    with open(os.path.join(out, "case.json"), "w") as f:
        json.dump(case, f)
    logits1.numpy().astype("<f4").tofile(os.path.join(out, "logits1.f32"))
    logits2.numpy().astype("<f4").tofile(os.path.join(out, "logits2.f32"))


if __name__ == "__main__":
    main()
