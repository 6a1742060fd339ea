"""`bench-generate --weights DIR --batch 1,8 --new-tokens 40 --rounds 3`: the PyTorch peer's decode speed.

Samples (top_k 50, temperature 1) from [EOT] prompts with model.generate, as a serving
stack would, so the figures compare with an onnxruntime decode loop doing the same work.
seconds_per_sequence is the wall time of one run: every sequence in a batch finishes
when the batch does, so that is the latency each caller sees.
"""
import statistics
import time

import torch

from .events import emit
from .generate import check_length
from .hf_weights import load_hf_folder
from .model import GPT2_EOS

TOP_K = 50
TEMPERATURE = 1.0


def bench_generate(weights, batches, new_tokens=40, rounds=3, threads=None):
    # Torch's own default unless asked: the peer is measured as it would be deployed untuned.
    if threads is not None:
        torch.set_num_threads(threads)
    model = load_hf_folder(weights)
    check_length(model, 1, new_tokens)
    generator = torch.Generator().manual_seed(0)
    results = []
    for batch in batches:
        prompt = torch.full((batch, 1), GPT2_EOS, dtype=torch.long)

        def run():
            t0 = time.perf_counter()
            model.generate(prompt, new_tokens, temperature=TEMPERATURE, top_k=TOP_K, generator=generator)
            return time.perf_counter() - t0

        with torch.inference_mode():
            run()  # first-call allocations and lazy kernel setup stay out of the figures
            runs = [run() for _ in range(rounds)]
        result = dict(batch=batch, new_tokens=new_tokens, tokens_per_second=batch * new_tokens * rounds / sum(runs),
                      seconds_per_sequence_p50=statistics.median(runs), runs=runs, threads=torch.get_num_threads(),
                      torch=torch.__version__)
        emit("bench_generate", **result)
        results.append(result)
    return results
