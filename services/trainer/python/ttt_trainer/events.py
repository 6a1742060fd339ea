"""The stdout protocol: one JSON object per line, nothing else, flushed at once.

The Node worker parses stdout line by line, so a stray print from a library would
break it. `claim_stdout` moves fd 1 to stderr for everyone else and keeps a private
handle to the real stdout for events.
"""
import json
import math
import os
import sys

_events = None


def claim_stdout():
    global _events
    if _events is not None:
        return
    sys.stdout.flush()
    _events = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    # C extensions write to fd 1 directly, so redirect the descriptor, not just sys.stdout.
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def _clean(value):
    # JSON has no NaN/Infinity; a parser on the Node side would reject the line.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def emit(event, **fields):
    line = json.dumps(_clean({"event": event, **fields}), separators=(",", ":"))
    out = _events if _events is not None else sys.stdout
    out.write(line + "\n")
    out.flush()


def log(message):
    print(message, file=sys.stderr, flush=True)


class TrainerError(Exception):
    """An expected failure: reported as an `error` event with a code and a process exit status."""

    def __init__(self, code, reason, exit_code=1):
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.exit_code = exit_code


def bad_input(reason):
    return TrainerError("bad_input", reason, exit_code=2)
