"""Beside pretix, in the same run: pretix's event page and order rush, then our logged-in pages and enrolment rush,
one after the other on the same machine, and one table of ratios (ours / pretix).

pretix 2026.8.0 comes from PyPI through the harness in `../shared/peers/pretix/` (setup.sh installs or reuses
it under PEER_BASE, serve.sh starts it with 2 gunicorn sync workers on PostgreSQL + Redis, page.py and rush.py
measure it, stop.sh stops it). Ours runs the same shape: 2 gunicorn sync workers on PostgreSQL + Redis, the same
number of clients for the same time (pages) and the same attempts from the same number of clients (rush).
The event page is also driven by our own load generator, so both pages are measured by the same client too.

    .venv/bin/python bench/peer.py [--clients 20] [--seconds 20] [--attempts 2000] [--concurrency 64] [--rounds 1]
    PEER_BASE=/somewhere/pretix make bench-peer       (default: var/peers/pretix; BENCH_PEER_SETUP=0 skips setup.sh)

`--rounds 3` runs the two rushes in turn three times (pretix, ours, pretix, ours, ...) and judges the median of
the rounds' ratios: on a machine whose speed drifts from minute to minute, one pretix rush and one of ours minutes
apart can each land on a fast or a slow stretch.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, Request, run_load  # noqa: E402


def peer_scripts():
    """The pretix harness: PEER_SCRIPTS, else ../shared/peers/pretix from the project (or from its worktree)."""
    candidates = [os.environ.get("PEER_SCRIPTS")] + [
        str(parent / "shared" / "peers" / "pretix") for parent in (REPO.parent, REPO.parent.parent)
    ]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "setup.sh").exists():
            return Path(candidate)
    raise SystemExit("pretix harness not found: set PEER_SCRIPTS to the folder with setup.sh, serve.sh, page.py")


def run(command, env, *, quiet=False, check=True):
    print(f"$ {' '.join(str(part) for part in command)}", flush=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if not quiet or done.returncode:
        sys.stdout.write(done.stdout[-3000:])
        sys.stderr.write(done.stderr[-3000:])
    if check and done.returncode:
        raise SystemExit(f"{command[0]} failed ({done.returncode})")
    return done


def measure_pretix(args, scripts, base, *, pages=True):
    """pretix's event page (when `pages`) and its rush: {"page.py": ..., "page": ..., "rush": ...}."""
    env = {**os.environ, "PEER_BASE": str(base), "KEEP_SERVICES": "1"}  # PostgreSQL and Redis are ours too
    if pages and (os.environ.get("BENCH_PEER_SETUP", "1") != "0" or not (base / "run" / "peer.json").exists()):
        run(["bash", scripts / "setup.sh"], env, quiet=True)
    python = base / "venv" / "bin" / "python"
    run(["bash", scripts / "serve.sh"], env)
    measured = {}
    try:
        if pages:
            peer = json.loads((base / "run" / "peer.json").read_text())
            url = urlparse(peer["event_url"])
            command = [python, scripts / "page.py", "--clients", str(args.clients), "--seconds", str(args.seconds)]
            page_line = run(command, env).stdout.strip().splitlines()[-1]
            # The same page through our load generator: the same client for both systems.
            ours_driver = run_load(
                url.port, [Request("GET", url.path)], concurrency=args.clients, total=10**9, duration=args.seconds
            )
            page_rate = float(re.search(r"([\d.]+) req/s", page_line).group(1))
            page_p95 = float(re.search(r"p95 ([\d.]+) ms", page_line).group(1)) / 1000
            measured["page.py"] = (page_rate, page_p95, page_line)
            measured["page"] = (ours_driver.rate, ours_driver.percentile(95), ours_driver.statuses())
        rush = run(
            [python, scripts / "rush.py", "--attempts", str(args.attempts), "--concurrency", str(args.concurrency)],
            env,
            check=False,
        )
        rush_line = next(line for line in reversed(rush.stdout.splitlines()) if line.startswith("pretix rush:"))
    finally:
        run(["bash", scripts / "stop.sh"], env, check=False)
    rush_rate = float(re.search(r"([\d.]+) attempts/s", rush_line).group(1))
    rush_p95 = float(re.search(r"p95 ([\d.]+) ms", rush_line).group(1)) / 1000
    measured["rush"] = (rush_rate, rush_p95, rush_line, rush.returncode)
    return measured


def measure_ours(args, workdir, *, pages=True):
    """Our logged-in pages (when `pages`, else None) and our rush: (pages, rush, the rush's exit code)."""
    python = sys.executable
    pages_json, rush_json = workdir / "pages.json", workdir / "rush.json"
    if pages:
        run(
            [
                *(python, REPO / "bench" / "pages.py", "--modes", "logged-in", "--json", pages_json),
                *("--database", f"{args.database_prefix}_pages"),
                *("--concurrency", str(args.clients), "--duration", str(args.seconds), "--requests", str(10**9)),
            ],
            os.environ,
        )
    rush = run(
        [
            *(python, REPO / "bench" / "enrolment_rush.py", "--json", rush_json),
            *("--database", f"{args.database_prefix}_enrolment_rush"),
            *("--attempts", str(args.attempts), "--concurrency", str(args.concurrency)),
        ],
        os.environ,
        check=False,
    )
    return json.loads(pages_json.read_text()) if pages else None, json.loads(rush_json.read_text()), rush.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20, help="page clients (pretix's page.py default)")
    parser.add_argument("--seconds", type=int, default=20, help="seconds per page (pretix's page.py default)")
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64, help="rush clients")
    parser.add_argument("--rounds", type=int, default=1, help="rushes in turn, pretix then ours; the median ratio")
    parser.add_argument(
        "--database-prefix",
        default=os.environ.get("BENCH_DATABASE_PREFIX", "atmp_bench"),
        help="our benchmarks' databases are named PREFIX_pages and PREFIX_enrolment_rush (dropped afterwards)",
    )
    args = parser.parse_args()

    base = Path(os.environ.get("PEER_BASE") or REPO / "var" / "peers" / "pretix").resolve()
    scripts = peer_scripts()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rounds = []  # (pretix's rush, ours, our exit code), in the order they ran
    with tempfile.TemporaryDirectory(prefix="bench-peer-") as workdir:
        pretix = measure_pretix(args, scripts, base)  # the pages are measured in the first round only
        pages, rush, rush_code = measure_ours(args, Path(workdir))
        rounds.append((pretix["rush"], rush, rush_code))
        for _round in range(1, args.rounds):
            theirs = measure_pretix(args, scripts, base, pages=False)["rush"]
            _pages, rush, rush_code = measure_ours(args, Path(workdir), pages=False)
            rounds.append((theirs, rush, rush_code))
    # The round whose ratio is the median (the middle one of an odd number, the lower middle of an even number).
    by_ratio = sorted(rounds, key=lambda round_: round_[1]["rate"] / round_[0][0] if round_[0][0] else float("inf"))
    (rush_rate, rush_p95, *_), rush, _code = by_ratio[(len(by_ratio) - 1) // 2]

    event_rate, event_p95, event_statuses = pretix["page"]
    pagepy_rate, pagepy_p95, _line = pretix["page.py"]
    catalogue = next(value for name, value in pages.items() if name.startswith("catalogue /sv/kurser/"))
    course = next(value for name, value in pages.items() if name.startswith("course page"))
    rows = [
        ("logged-in catalogue vs event page", catalogue["rate"], event_rate, "req/s", 10),
        ("logged-in course page vs event page", course["rate"], event_rate, "req/s", 10),
        ("rush: attempts/s", rush["rate"], rush_rate, "att/s", 5),
    ]
    print()
    print(
        f"Beside pretix 2026.8.0, same machine, one after the other ({started}): pages {args.clients} clients × "
        f"{args.seconds} s; rush {args.attempts} attempts on 30 seats, {args.concurrency} clients; both on 2 gunicorn "
        "sync workers, PostgreSQL, Redis"
    )
    header = f"{'what':40} {'ours':>10} {'pretix':>10} {'ours/pretix':>11} {'aim':>5}"
    print(header)
    print("-" * len(header))
    passed = True
    for name, ours, theirs, unit, aim in rows:
        ratio = ours / theirs if theirs else float("inf")
        passed &= ratio >= aim
        print(f"{name:40} {ours:10.1f} {theirs:10.1f} {ratio:10.1f}× {aim:4d}× {unit}")
    p95_ratio = rush["p95"] / rush_p95 if rush_p95 else float("nan")
    print(f"{'rush: p95 (s)':40} {rush['p95']:10.3f} {rush_p95:10.3f} {p95_ratio:10.2f}× {'':5} (ours < 0.5 s)")
    print(
        f"pretix's own page.py (httpx, {args.clients} clients): {pagepy_rate:.1f} req/s, "
        f"p95 {pagepy_p95 * 1000:.0f} ms; through our load generator: {event_rate:.1f} req/s, "
        f"p95 {event_p95 * 1000:.0f} ms, responses {event_statuses} (the ratios use the latter)"
    )
    print(f"ours: catalogue p95 {catalogue['p95'] * 1000:.0f} ms, course page p95 {course['p95'] * 1000:.0f} ms")
    if len(rounds) > 1:
        print(
            "rush rounds in turn (pretix, ours; the table shows the median round): "
            + "; ".join(
                f"{theirs[0]:.1f}, {ours['rate']:.1f} ({ours['rate'] / theirs[0]:.1f}×)" for theirs, ours, _ in rounds
            )
        )
    verdict = {True: "ok", False: "FAILED"}
    for theirs, ours, code in rounds:
        print(f"rush checks: pretix {verdict[theirs[3] == 0]}, ours {verdict[bool(ours['passed']) and code == 0]}")
        passed &= bool(ours["passed"]) and code == 0
    passed &= rush["p95"] < 0.5
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
