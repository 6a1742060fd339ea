"""Command line: `python3 -m ttt_trainer <command>`; JSON events on stdout, exit status per outcome.

Exit codes: 0 ok, 1 unexpected failure, 2 bad input, 3 NaN loss, 4 torch missing.
Modules that import torch are imported inside each command so `check` and the
torch_missing error work without it.
"""
import argparse
import platform
import sys
import traceback

from .events import TrainerError, claim_stdout, emit
from .lifeline import die_with_parent


def cmd_check(args):
    info = {"python": platform.python_version()}
    try:
        import numpy
        info["numpy"] = numpy.__version__
    except ImportError:
        info["numpy"] = None
    try:
        import onnx
        info["onnx"] = onnx.__version__
    except ImportError:
        info["onnx"] = None
    from .runtime import import_torch

    torch = import_torch()
    cuda = torch.cuda.is_available()
    emit("check", python=info["python"], torch=torch.__version__, cuda=cuda,
         device_name=torch.cuda.get_device_name(0) if cuda else None, numpy=info["numpy"], onnx=info["onnx"])


def cmd_train(args):
    from .train import run

    run(args.spec)


def cmd_export(args):
    from .export_onnx import export

    export(args.weights, args.out, opset=args.opset)


def cmd_quantize(args):
    from .quantize import quantize

    quantize(args.inp, args.out, args.bits)


def cmd_evaluate(args):
    from .evaluate import evaluate

    evaluate(args.weights, args.val, max_tokens=args.max_tokens, block_size=args.block_size,
             batch_size=args.batch_size, device=args.device)


def cmd_bench(args):
    from .bench import bench

    bench(config=args.config, steps=args.steps, device=args.device, batch_size=args.batch_size,
          block_size=args.block_size, data=args.data, warmup=args.warmup, grad_accum_steps=args.grad_accum_steps)


def cmd_init(args):
    from .init_model import init_model

    init_model(args.config, args.seed, args.out, block_size=args.block_size, eos_logit=args.eos_logit)


def cmd_generate(args):
    from .generate import generate

    generate(args.weights, args.prompt_ids, args.max_new_tokens, temperature=args.temperature, top_k=args.top_k,
             seed=args.seed, batch=args.batch)


def cmd_bench_generate(args):
    from .bench_generate import bench_generate

    bench_generate(args.weights, args.batch, new_tokens=args.new_tokens, rounds=args.rounds, threads=args.threads)


def _int_at_least(low):
    # argparse turns the ValueError into a usage error, which _Parser reports as bad input.
    def parse(text):
        value = int(text)
        if value < low:
            raise ValueError(text)
        return value

    parse.__name__ = f"integer >= {low}"  # argparse names the type in its message
    return parse


def _int_list(low):
    item = _int_at_least(low)

    def parse(text):
        return [item(part) for part in text.split(",")]

    parse.__name__ = f"comma-separated list of integers >= {low}"
    return parse


class _Parser(argparse.ArgumentParser):
    # Usage mistakes are bad input like any other: an error event and exit 2, not just stderr text.
    def error(self, message):
        raise TrainerError("bad_input", f"{self.prog}: {message}", exit_code=2)


def parser():
    p = _Parser(prog="python3 -m ttt_trainer", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("check", help="report python/torch/CUDA versions")
    s.set_defaults(fn=cmd_check, needs_torch=False)

    s = sub.add_parser("train", help="train from a spec.json (resumes from runDir/ckpt.pt)")
    s.add_argument("--spec", required=True)
    s.set_defaults(fn=cmd_train)

    s = sub.add_parser("export", help="HF GPT-2 folder -> transformers.js folder with onnx/model.onnx")
    s.add_argument("--weights", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--opset", type=int, default=17, choices=range(14, 18), metavar="14..17")
    s.set_defaults(fn=cmd_export)

    s = sub.add_parser("quantize", help="8-bit (or 4-bit) MatMulNBits version of an exported model")
    s.add_argument("--in", dest="inp", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--bits", type=int, default=8, choices=[8, 4])
    s.set_defaults(fn=cmd_quantize, needs_torch=False)

    s = sub.add_parser("evaluate", help="validation loss of an HF GPT-2 folder")
    s.add_argument("--weights", required=True)
    s.add_argument("--val", action="append", required=True)
    s.add_argument("--max-tokens", type=int)
    s.add_argument("--block-size", type=int)
    s.add_argument("--batch-size", type=int, default=8)
    s.add_argument("--device", default="auto")
    s.set_defaults(fn=cmd_evaluate)

    s = sub.add_parser("bench", help="training tokens/s (and MFU on CUDA)")
    s.add_argument("--device", default="auto")
    s.add_argument("--config", choices=["tiny", "small", "gpt2"], default="small")
    s.add_argument("--steps", type=int, default=20)
    s.add_argument("--warmup", type=int)
    s.add_argument("--batch-size", type=int)
    s.add_argument("--block-size", type=int)
    s.add_argument("--grad-accum-steps", type=int, default=1)
    s.add_argument("--data", action="append", help="token files instead of random tokens")
    s.set_defaults(fn=cmd_bench)

    s = sub.add_parser("init", help="randomly initialised model folder: HF weights, onnx/model.onnx and its int8 version")
    s.add_argument("--config", choices=["tiny", "small", "gpt2"], required=True)
    s.add_argument("--seed", type=_int_at_least(0), required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--block-size", type=_int_at_least(1))
    s.add_argument("--eos-logit", type=float, help="end-of-text's logit at every position, the others near 0 (2 ends a text about one step in ten under top-k 50)")
    s.set_defaults(fn=cmd_init)

    s = sub.add_parser("generate", help="reference KV-cache decode in PyTorch; prints only the new tokens")
    s.add_argument("--weights", required=True)
    s.add_argument("--prompt-ids", type=_int_list(0), required=True)
    s.add_argument("--max-new-tokens", type=_int_at_least(0), required=True)
    s.add_argument("--temperature", type=float, default=0.0, help="0 (the default) is greedy")
    s.add_argument("--top-k", type=_int_at_least(1))
    s.add_argument("--seed", type=_int_at_least(0), default=0)
    s.add_argument("--batch", type=_int_at_least(1), default=1)
    s.set_defaults(fn=cmd_generate)

    s = sub.add_parser("bench-generate", help="PyTorch decode speed: top-k sampling from [EOT] prompts")
    s.add_argument("--weights", required=True)
    s.add_argument("--batch", type=_int_list(1), default=[1, 8])
    s.add_argument("--new-tokens", type=_int_at_least(1), default=40)
    s.add_argument("--rounds", type=_int_at_least(1), default=3)
    s.add_argument("--threads", type=_int_at_least(1))
    s.set_defaults(fn=cmd_bench_generate)
    return p


def main(argv=None):
    claim_stdout()
    die_with_parent()
    try:
        args = parser().parse_args(argv)
        if getattr(args, "needs_torch", True):
            from .runtime import import_torch

            import_torch()
        args.fn(args)
        return 0
    except TrainerError as exc:
        emit("error", code=exc.code, reason=exc.reason)
        return exc.exit_code
    except KeyboardInterrupt:
        emit("error", code="interrupted", reason="interrupted")
        return 130
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        if type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower():
            emit("error", code="out_of_memory",
                 reason=f"{exc}. Lower batch_size or block_size (raise grad_accum_steps to keep the batch).")
        else:
            emit("error", code="internal", reason=f"{type(exc).__name__}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
