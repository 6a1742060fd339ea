"""`train --spec spec.json`: the training loop, with resumable checkpoints and JSON progress events."""
import math
import os
import time

import numpy as np
import torch

from . import hub
from .data import TokenSource
from .events import TrainerError, bad_input, emit, log
from .hf_weights import load_hf_folder, save_hf_folder
from .lifeline import lock_run_dir
from .model import GPT, GPTConfig
from .runtime import Precision, configure_threads, make_optimizer, maybe_compile, peak_flops, resolve_device
from .spec import DEFAULT_SCRATCH_BLOCK, load_spec, same_run
from .step import Stepper, lr_at, to_device

CKPT_NAME = "ckpt.pt"
LOG_EVERY_S = 5.0
CKPT_VERSION = 1


def _load(path):
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:
        return torch.load(path, map_location="cpu")


def initial_model(spec):
    init, hp = spec["init"], spec["hyperparameters"]
    if init["kind"] == "scratch":
        c = dict(init["config"])
        dropout = c.pop("dropout", 0.0)
        if hp["dropout"] is not None:
            dropout = hp["dropout"]
        c.setdefault("block_size", hp["block_size"] or DEFAULT_SCRATCH_BLOCK)
        try:
            return GPT(GPTConfig(**c, dropout=dropout))
        except ValueError as exc:
            raise bad_input(f"init.config: {exc}")
    folder = init["path"] if init["kind"] == "weights" else hub.fetch(init["name"])
    return load_hf_folder(folder, dropout=hp["dropout"] or 0.0)


def save_checkpoint(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())  # a kill -9 or power loss must leave either the old or the new file whole
    os.replace(tmp, path)


def rng_state(data_rng, device):
    state = {"numpy": data_rng.bit_generator.state, "torch": torch.get_rng_state()}
    if device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state, data_rng, device):
    data_rng.bit_generator.state = state["numpy"]
    torch.set_rng_state(state["torch"])
    if device.type == "cuda" and "cuda" in state and len(state["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state["cuda"])


@torch.no_grad()
def estimate_loss(model, batches, precision, device):
    model.eval()
    losses = []
    for x, y in batches:
        with precision.autocast():
            _, loss, _ = model(to_device(x, device), to_device(y, device))
        losses.append(loss.float())
    model.train()
    return torch.stack(losses).mean().item()


def nan_error(step, loss, lr, ckpt_path):
    return TrainerError(
        "nan_loss",
        f"loss became {loss} at step {step} (lr {lr:.3g}): training diverged. Lower learning_rate "
        f"(or raise warmup_steps / lower grad_clip) and check the token files for corrupt data. "
        f"Start again in a new runDir, or delete {ckpt_path} first: a changed spec cannot resume it.",
        exit_code=3,
    )


def run(spec_path):
    spec = load_spec(spec_path)
    hp = spec["hyperparameters"]
    device = resolve_device(spec["device"])
    threads = configure_threads(device.type)
    run_dir = spec["runDir"]
    try:
        os.makedirs(run_dir, exist_ok=True)
    except OSError as exc:
        raise bad_input(f"cannot create runDir {run_dir} ({exc})")
    run_lock = lock_run_dir(run_dir)  # noqa: F841 (held until the process ends)
    ckpt_path = os.path.join(run_dir, CKPT_NAME)

    ckpt = None
    if os.path.isfile(ckpt_path):
        try:
            ckpt = _load(ckpt_path)
        except Exception as exc:
            raise bad_input(f"{ckpt_path} exists but cannot be read ({exc}); delete it to start over")
        if not isinstance(ckpt, dict) or ckpt.get("version") != CKPT_VERSION:
            raise bad_input(f"{ckpt_path} is not a checkpoint of this trainer; delete it to start over")
        if not same_run(ckpt["spec"], spec):
            raise bad_input(
                f"{ckpt_path} belongs to a run with a different spec; use a new runDir or delete it to start over"
            )
        emit("resume", step=ckpt["step"])

    torch.manual_seed(hp["seed"])
    if ckpt is not None:
        model = GPT(GPTConfig(**ckpt["model_config"]))
        model.load_state_dict(ckpt["model"])
    else:
        model = initial_model(spec)
    config = model.config
    block_size = hp["block_size"] or config.block_size
    if block_size > config.block_size:
        raise bad_input(f"hyperparameters.block_size {block_size} exceeds the model's n_positions {config.block_size}")

    train_data = TokenSource(spec["train"], block_size, config.vocab_size)
    val_data = TokenSource(spec["val"], block_size, config.vocab_size)
    batch_size, accum = hp["batch_size"], hp["grad_accum_steps"]
    train_evals = train_data.fixed_batches(batch_size, hp["eval_iters"], seed=1)
    val_evals = val_data.fixed_batches(batch_size, hp["eval_iters"], seed=0)

    model.to(device)
    precision = Precision(device)
    optimizer, fused = make_optimizer(model, hp["learning_rate"], hp["weight_decay"], (hp["beta1"], hp["beta2"]), device)
    data_rng = np.random.default_rng(hp["seed"])
    step, tokens_seen, best_val, train_seconds = 0, 0, None, 0.0
    if ckpt is not None:
        optimizer.load_state_dict(ckpt["optimizer"])
        restore_rng(ckpt["rng"], data_rng, device)
        step, tokens_seen, best_val = ckpt["step"], ckpt["tokens_seen"], ckpt["best_val_loss"]
        train_seconds = ckpt.get("train_seconds", 0.0)
        del ckpt
    raw_model = model
    model, compiled = maybe_compile(model, device)
    stepper = Stepper(model, optimizer, precision, hp["grad_clip"], accum)
    peak = peak_flops(device)
    flops_per_token = raw_model.flops_per_token(block_size)
    tokens_per_step = batch_size * block_size * accum
    max_steps = hp["max_steps"]

    log(f"threads={threads} compiled={compiled} fused_adamw={fused} train_tokens={train_data.num_tokens} "
        f"val_tokens={val_data.num_tokens} tokens_per_step={tokens_per_step}")
    emit("start", device=device.type, dtype=precision.name, params=raw_model.num_params(), max_steps=max_steps,
         resumed_from=step if step > 0 else None, torch=torch.__version__)

    def checkpoint():
        save_checkpoint(ckpt_path, {
            "version": CKPT_VERSION, "model": raw_model.state_dict(), "optimizer": optimizer.state_dict(),
            "step": step, "tokens_seen": tokens_seen, "best_val_loss": best_val, "train_seconds": train_seconds,
            "spec": spec, "model_config": config.to_dict(), "rng": rng_state(data_rng, device),
        })
        emit("checkpoint", step=step, path=ckpt_path)

    def evaluate():
        nonlocal best_val
        train_loss = estimate_loss(model, train_evals, precision, device)
        val_loss = estimate_loss(model, val_evals, precision, device)
        if not math.isfinite(val_loss):
            raise nan_error(step, val_loss, lr_at(step, hp), ckpt_path)
        best_val = val_loss if best_val is None else min(best_val, val_loss)
        emit("eval", step=step, train_loss=train_loss, val_loss=val_loss, val_ppl=math.exp(min(val_loss, 700)))
        return train_loss, val_loss

    def next_batch():
        x, y = train_data.random_batch(data_rng, batch_size)
        return to_device(x, device), to_device(y, device)

    run_t0 = time.time()
    # Throughput counts only time spent in steps, so evals and checkpoints do not dilute it.
    window_tokens, window_s, last_log = 0, 0.0, time.time()
    rate = None
    last_eval = None
    while step < max_steps:
        lr = lr_at(step, hp)
        t0 = time.time()
        loss = stepper(next_batch, lr).item()  # the sync also makes the timings honest on CUDA
        dt = time.time() - t0
        step += 1
        tokens_seen += tokens_per_step
        window_tokens += tokens_per_step
        window_s += dt
        train_seconds += dt
        if not math.isfinite(loss):
            raise nan_error(step, loss, lr, ckpt_path)

        if step % hp["log_interval"] == 0 or time.time() - last_log >= LOG_EVERY_S or step == max_steps:
            current = window_tokens / window_s if window_s > 0 else None
            if current is not None:
                # The first window includes warm-up (and compilation on CUDA), so smooth toward later ones.
                rate = current if rate is None else 0.7 * rate + 0.3 * current
            eta = (max_steps - step) * tokens_per_step / rate if rate else None
            mfu = current * flops_per_token / peak if (peak and current) else None
            emit("step", step=step, max_steps=max_steps, loss=loss, lr=lr, tokens_per_s=current, eta_s=eta, mfu=mfu)
            window_tokens, window_s, last_log = 0, 0.0, time.time()

        if step % hp["eval_interval"] == 0 or step == max_steps:
            last_eval = (step, *evaluate())
        if step % hp["checkpoint_interval"] == 0 or step == max_steps:
            checkpoint()

    if last_eval is None:  # resumed from a finished run: report its final losses again
        last_eval = (step, *evaluate())
    final_dir = os.path.join(run_dir, "final")
    save_hf_folder(raw_model, final_dir)
    _, train_loss, val_loss = last_eval
    emit("done", step=step, val_loss=val_loss, val_ppl=math.exp(min(val_loss, 700)), train_loss=train_loss,
         # Over the whole run, resumed parts included, so a rerun of a finished run still reports it.
         tokens_per_s=tokens_seen / train_seconds if train_seconds > 0 else None, tokens_seen=tokens_seen,
         seconds=time.time() - run_t0)
