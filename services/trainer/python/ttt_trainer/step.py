"""One optimizer step (forward, backward over micro-batches, clip, update), shared by train and bench."""
import math

import torch


def lr_at(step, hp):
    """Linear warmup, then cosine decay to min_lr at max_steps (nanoGPT's schedule)."""
    lr, min_lr, warmup, total = hp["learning_rate"], hp["min_lr"], hp["warmup_steps"], hp["max_steps"]
    if step < warmup:
        return lr * (step + 1) / (warmup + 1)
    if step >= total:
        return min_lr
    ratio = (step - warmup) / max(1, total - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)


def to_device(arr, device):
    t = torch.from_numpy(arr)
    if device.type == "cuda":
        # Pinned host memory lets the copy overlap with the previous step's kernels.
        return t.pin_memory().to(device, non_blocking=True)
    return t


class Stepper:
    def __init__(self, model, optimizer, precision, grad_clip, accum_steps):
        self.model = model
        self.optimizer = optimizer
        self.precision = precision
        self.grad_clip = grad_clip
        self.accum_steps = accum_steps

    def __call__(self, next_batch, lr):
        """Run one step; next_batch() returns (x, y) device tensors. Returns the mean loss as a 0-d tensor."""
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        scaler = self.precision.scaler
        self.model.train()
        total = None
        for _ in range(self.accum_steps):
            x, y = next_batch()
            with self.precision.autocast():
                _, loss, _ = self.model(x, y)
                loss = loss / self.accum_steps
            total = loss.detach() if total is None else total + loss.detach()
            if scaler is not None:
                scaler.scale(loss).backward()
            else:
                loss.backward()
        if self.grad_clip > 0:
            if scaler is not None:
                scaler.unscale_(self.optimizer)
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.grad_clip)
        if scaler is not None:
            scaler.step(self.optimizer)
            scaler.update()
        else:
            self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        return total
