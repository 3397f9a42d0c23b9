"""gunicorn hooks for BENCH_PROFILE=server, on top of the project's own (gunicorn.conf.py): each worker profiles its
POST requests (cProfile on CPU time, from the parsed request to the response written) and writes the stats to
BENCH_PROFILE_DIR when it exits, for the benchmark to print beside its own figures."""

import cProfile
import os
import runpy
import time
from pathlib import Path

post_worker_init = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))["post_worker_init"]
profile = None


def post_fork(server, worker):
    global profile  # noqa: PLW0603 - one profile per worker process
    profile = cProfile.Profile(time.process_time)


def pre_request(worker, req):
    if req.method == "POST":
        profile.enable()


def post_request(worker, req, environ, resp):
    profile.disable()


def worker_exit(server, worker):
    profile.dump_stats(os.path.join(os.environ["BENCH_PROFILE_DIR"], f"worker-{os.getpid()}.prof"))
