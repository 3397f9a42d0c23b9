"""`make run`'s server and worker stop together, quickly and quietly, on Ctrl-C or SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the dev server stopped by itself"
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (a local address)
            return
        except urllib.error.HTTPError:
            return  # it answers: an error page is still an answer
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {timeout} s")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_run_stops_within_five_seconds_without_errors(tmp_path, signum):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "atmp.settings.dev",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }
    (tmp_path / "broker" / "processed").mkdir(parents=True)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "atmp.devserver", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/robots.txt", process)
        time.sleep(3)  # let the worker finish starting too

        started = time.monotonic()
        process.send_signal(signum)
        output, _ = process.communicate(timeout=15)
        stopped_after = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert stopped_after < 5, f"took {stopped_after:.1f} s to stop"
    assert process.returncode == 0
    assert "Stopped the server and the task worker." in output
    for trouble in ("Traceback", "Segmentation fault", "Error"):
        assert trouble not in output, output[-3000:]
    assert not (REPO / "control").exists(), "kombu's control folder belongs under var/"
