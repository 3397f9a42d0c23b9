"""`make run`'s last step: the development server and the task worker (with beat) as one foreground process.

A shell `trap` could not do this well: Ctrl-C reached the worker and the server at different times, the
prefork pool's warm shutdown waited for the file broker for over a minute and its children died with
"Segmentation fault". Here both start in their own process groups; Ctrl-C or SIGTERM asks each to stop, and
whatever is still running after a few seconds is killed, so the command returns within five seconds, quietly.

    python -m atmp.devserver HOST:PORT
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE_SECONDS = 2.0


def _start(command):
    # A new session: the terminal's Ctrl-C reaches only us, and we decide how the children stop.
    return subprocess.Popen(command, start_new_session=True)  # noqa: S603 (our own commands)


def _stop(processes):
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main(address):
    bin_dir = Path(sys.executable).parent
    var_dir = Path(os.environ.get("VAR_DIR", "var"))
    worker = _start(
        [
            str(bin_dir / "celery"),
            "-A",
            "atmp",
            "worker",
            "--beat",
            "--loglevel=INFO",
            # Threads, not a prefork pool: no children to orphan on Ctrl-C, and plenty for one developer.
            "--pool=threads",
            "--concurrency=2",
            f"--schedule={var_dir / 'celerybeat-schedule'}",
        ]
    )
    server = _start([sys.executable, "manage.py", "runserver", address])
    processes = [server, worker]

    def stop(signum, frame):
        raise KeyboardInterrupt

    # Both explicitly: a shell that starts us in the background has SIGINT ignored, and Python keeps that.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(processes)
    print("\nStopped the server and the task worker.", flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000")
