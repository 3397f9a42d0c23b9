"""Instructions per enrol POST, counted by Valgrind's callgrind: a measure that does not move with the machine.

On a shared 2-core VM the rush's attempts/s and even one process's CPU time move by 20-60 % from one minute to
the next, more than most single cuts are worth. The number of instructions the worker executes for a request
moves by ~0.1 % between runs, so a cut is measured by running this before and after it.

The enrol POSTs go through Django's WSGI handler in one process (production settings, PostgreSQL, Redis; no
HTTP), as gunicorn's worker would run them: after a warm-up, with the objects of the loaded application frozen
(gunicorn.conf.py), and with the outbox's one-task flag up, as it is through a rush (so no Celery publish).
The floor, measured the same way in the same run, is the same POSTs answered by a bare view (it loads the person
and the form's body, and redirects) through the same middleware: what Django, the session, auth and CSRF cost
whatever the view does.

    .venv/bin/python bench/enrol_instructions.py [--requests 100]

Needs `valgrind` (Debian's package); without it, says so and exits 0.
"""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, BenchEnv, database_name  # noqa: E402

WARM = 20


def child(plan_file, floor):
    """Run in the measured process: warm up, say READY, wait for the go file, send the POSTs, say DONE."""
    import django

    django.setup()
    import gc

    from django.core.handlers.wsgi import WSGIHandler

    plan = json.loads(Path(plan_file).read_text())
    if floor:
        _answer_enrol_with_a_bare_view()
    from enrolment import notifications

    if (flag := notifications._waiting_flag()) is not None:
        flag.set(notifications.WAITING_FLAG, "1", ex=600)  # as through a rush: a task is waiting already
    app = WSGIHandler()
    statuses = set()

    def post(path, cookie, body):
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body.encode()),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "HTTP_COOKIE": cookie,
        }
        response = app(environ, lambda status, headers, exc_info=None: statuses.add(status))
        b"".join(response)
        response.close()

    requests = plan["requests"]
    for request in requests[:WARM]:
        post(*request)
    gc.collect()
    gc.freeze()  # as gunicorn.conf.py does once a worker has loaded the application
    print("READY", flush=True)
    go = Path(plan["go"])
    while not go.exists():
        time.sleep(0.05)
    for request in requests[WARM:]:
        post(*request)
    print("DONE " + json.dumps(sorted(statuses)), flush=True)
    while go.exists():  # stay until the counts are dumped
        time.sleep(0.05)


def _answer_enrol_with_a_bare_view():
    from django.http import HttpResponseRedirect
    from django.urls import get_resolver

    def bare(request, occasion_id):
        if not request.user.is_authenticated:
            raise RuntimeError("the floor's POSTs must be logged in")
        request.POST  # noqa: B018 - the body is read, as a form would
        return HttpResponseRedirect(f"/sv/my-courses/{occasion_id}/")

    def patch(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                patch(pattern)
            elif getattr(pattern, "name", None) == "enrol":
                pattern.callback = bare

    patch(get_resolver())


def count(env, requests, floor):
    """Instructions per POST of `requests[WARM:]`, in a child under callgrind."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    go, out = workdir / "go", workdir / "callgrind.out"
    plan = workdir / "plan.json"
    plan.write_text(json.dumps({"requests": requests, "go": str(go)}))
    command = [
        *("valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"),
        *(sys.executable, __file__, "--child", str(plan), *(["--floor"] if floor else [])),
    ]
    log = workdir / "log"
    with log.open("w") as errors:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)

    def said(word):
        for line in process.stdout:
            if line.startswith(word):
                return line.strip()
        raise RuntimeError(f"the measured process ended early:\n{log.read_text()[-3000:]}")

    try:
        said("READY")
        subprocess.run(["callgrind_control", "-i", "on", str(process.pid)], check=True, capture_output=True)
        go.touch()
        done = said("DONE")
        subprocess.run(["callgrind_control", "-i", "off", str(process.pid)], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "-d", str(process.pid)], check=True, capture_output=True)
        go.unlink()
        process.wait(timeout=120)
        statuses = json.loads(done[5:])
        # The dump asked for above is the measured part (the file at exit holds only what came after it).
        dumps = sorted(workdir.glob("callgrind.out.*"), key=lambda path: path.stat().st_size, reverse=True)
        totals = [line for line in dumps[0].read_text().splitlines() if line.startswith("totals:")]
        return int(totals[0].split()[1]) / (len(requests) - WARM), statuses
    finally:
        if process.poll() is None:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--child")
    parser.add_argument("--floor", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.floor)
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        print("valgrind is not installed (apt-get install valgrind): no instruction counts")
        return 0

    import enrolment_rush

    bench = BenchEnv(database_name("enrol_instructions"))
    try:
        bench.prepare()
        people = 2 * (args.requests + WARM)
        scenario = enrolment_rush.build(people, seats=30)
        bench.analyze()
        posts = [
            (request.path, request.headers["Cookie"], request.body.decode())
            for request in enrolment_rush.enrol_requests(scenario.path, scenario.sessions)
        ]
        env = {**bench.env, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "bench")])}
        # Each count gets people of its own: an enrolment is made once per person.
        enrol, enrol_statuses = count(env, posts[: args.requests + WARM], floor=False)
        floor, floor_statuses = count(env, posts[args.requests + WARM :], floor=True)
    finally:
        bench.drop()
    print(f"\nInstructions per POST (callgrind, {args.requests} POSTs after {WARM} to warm up, in-process, no HTTP)")
    print(f"  enrol POST (30 seats, then the waiting list)   {enrol:12,.0f}   responses {enrol_statuses}")
    print(f"  floor: a bare view, same middleware            {floor:12,.0f}   responses {floor_statuses}")
    print(f"  enrol / floor: {enrol / floor:.2f} (what the enrolment itself adds: {enrol - floor:,.0f})")
    return 0 if enrol_statuses == floor_statuses == ["302 Found"] else 1


if __name__ == "__main__":
    sys.exit(main())
