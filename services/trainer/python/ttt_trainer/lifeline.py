"""Ties this process's life to the worker that started it, and a run folder to one process.

A worker killed with kill -9 cannot stop its children; an orphaned trainer would write the
run folder on alone while the retried job starts another one on the same checkpoint.
"""
import os
import signal
import sys

from .events import TrainerError

PR_SET_PDEATHSIG = 1


def die_with_parent():
    """On Linux the kernel kills us when the parent goes; elsewhere this does nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    # The parent may have died before the call above: then we were already handed to init.
    expected = os.environ.get("TTT_PARENT_PID")
    if expected and os.getppid() != int(expected):
        os._exit(1)


def lock_run_dir(run_dir):
    """Holds an exclusive lock on run_dir for the life of the process (released on exit)."""
    import fcntl

    handle = open(os.path.join(run_dir, ".lock"), "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise TrainerError("run_busy", f"another trainer process is running in {run_dir}; wait for it or stop it", exit_code=1)
    return handle
