"""Helpers shared by the benchmarks: a fresh PostgreSQL database, gunicorn with production settings, a load
generator in a second process, and the table printer.

A benchmark proves speed by a ratio against a ceiling measured in the same run on the same machine, never
by an absolute number alone: the machine (2 cores) runs the server, PostgreSQL and the load generator.

    bench = BenchEnv("atmp_bench_example")
    bench.prepare()                 # drop + create + migrate + collectstatic, then django.setup() here
    ...build data with the factories...
    with bench.gunicorn() as server:
        result = run_load(server.port, [Request("GET", "/sv/kurser/")], concurrency=16, total=2000)
    bench.drop()
"""

import contextlib
import http.client
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
SETTINGS_MODULE = "bench.settings"  # atmp.settings.production with STATIC_ROOT in a temporary folder
HOST = "127.0.0.1"


def database_name(script):
    """The benchmark's own database: `atmp_bench_<script>`, or under `BENCH_DATABASE_PREFIX` (one per session)."""
    return f"{os.environ.get('BENCH_DATABASE_PREFIX', 'atmp_bench')}_{script}"


# --- Database and Django --------------------------------------------------------------------------------


class BenchEnv:
    """One benchmark's database, static files and environment (the same for gunicorn and this process)."""

    def __init__(self, database):
        self.database = database
        self.database_url = f"{POSTGRES_URL}/{database}"
        self.static_root = Path(tempfile.mkdtemp(prefix=f"{database}-static-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "SECRET_KEY": "bench",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": REDIS_URL,
            # Production settings require these; links and mail go nowhere unless a benchmark starts a sink.
            "BASE_URL": "https://bench.invalid",
            "DEFAULT_FROM_EMAIL": "ATMP bench <bench@bench.invalid>",
            "EMAIL_HOST": "127.0.0.1",
            "DB_CONN_MAX_AGE": "60",
            "BENCH_STATIC_ROOT": str(self.static_root),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        }

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def prepare(self):
        """Drop and create the database, migrate it and collect the static files (in parallel), set up Django."""
        started = time.perf_counter()
        self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.database}"')
        manage = [sys.executable, str(REPO / "manage.py")]
        jobs = {
            "migrate": subprocess.Popen(
                [*manage, "migrate", "--noinput"],
                cwd=REPO,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            ),
            # Production stores static files with a manifest: without it every {% static %} raises (a 500).
            "collectstatic": subprocess.Popen(
                [*manage, "collectstatic", "--noinput"],
                cwd=REPO,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            ),
        }
        for name, job in jobs.items():
            output, _ = job.communicate()
            if job.returncode:
                sys.stderr.write(output.decode(errors="replace"))
                raise RuntimeError(f"manage.py {name} failed ({job.returncode})")
        import redis

        # Wagtail caches site root paths: a previous run's page ids must not leak into this database.
        redis.Redis.from_url(REDIS_URL).flushdb()
        os.environ.update(self.env)
        import django

        django.setup()
        print(f"database {self.database} migrated, static files collected in {time.perf_counter() - started:.1f} s")

    def analyze(self):
        """Planner statistics for the freshly loaded tables, as autovacuum would gather them in production.

        Without them PostgreSQL assumes one row per table and picks nested loops (the catalogue query takes
        ~7× longer right after loading).
        """
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def drop(self):
        """Close this process's connections, drop the database and the static files."""
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        with contextlib.suppress(Exception):
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
        shutil.rmtree(self.static_root, ignore_errors=True)

    @contextlib.contextmanager
    def gunicorn(self, workers=2, port=None, **extra_env):
        server = Gunicorn({**self.env, **extra_env}, workers=workers, port=port or free_port())
        try:
            server.start()
            yield server
        finally:
            server.stop()
            server.discard_log()


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn atmp.wsgi:application -w 2` on a loopback port, started and stopped by the benchmark."""

    def __init__(self, env, *, workers, port):
        self.env, self.workers, self.port = env, workers, port
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = None

    def start(self, timeout=60):
        command = [
            *(sys.executable, "-m", "gunicorn", "atmp.wsgi:application"),
            *("-w", str(self.workers), "-b", f"{HOST}:{self.port}", "--chdir", str(REPO)),
        ]
        if self.env.get("BENCH_PROFILE_DIR"):  # the workers profile their POSTs (bench/gunicorn_profile.py)
            command += ["-c", str(REPO / "bench" / "gunicorn_profile.py")]
        # Its own session, so stop() can end the master and its workers (and nothing else) by group id.
        self.process = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if self.get("/health/")[0] == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /health/ within {timeout} s:\n{self.log_tail()}")

    def get(self, path, headers=None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def discard_log(self):
        """Delete the server log, unless it holds tracebacks worth reading."""
        self.log.close()
        if self.server_errors():
            print(f"gunicorn log kept: {self.log.name}")
        else:
            Path(self.log.name).unlink(missing_ok=True)

    def log_tail(self, lines=40):
        if not self.log.closed:
            self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def worker_pids(self):
        """The master's worker processes (gunicorn forks them; their CPU time is the server's Python)."""
        master = self.process.pid
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]

    def server_errors(self):
        """Tracebacks gunicorn or Django wrote (5xx responses leave one)."""
        if not self.log.closed:
            self.log.flush()
        return Path(self.log.name).read_text(errors="replace").count("Traceback")


def cpu_seconds(pids):
    """User + system CPU time of these processes so far (Linux /proc; 0 for one that has gone)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14 and 15 of stat)
    return total


def database_backends(database_url):
    """Process ids of the PostgreSQL backends connected to the database of `database_url`."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres") as conn:
        return [pid for (pid,) in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])]


class BackendCPU(threading.Thread):
    """CPU seconds the PostgreSQL backends of one database use while it runs: polled, because a connection older
    than CONN_MAX_AGE is replaced during a long run and its process ends (its last reading is kept)."""

    def __init__(self, database_url, interval=0.25):
        super().__init__(daemon=True)
        self.database_url, self.interval = database_url, interval
        self.first, self.last = {}, {}
        self.done = threading.Event()

    def run(self):
        while True:
            for pid in database_backends(self.database_url):
                seconds = cpu_seconds([pid])
                self.first.setdefault(pid, seconds if not self.last else 0.0)  # connections opened later: from 0
                self.last[pid] = max(seconds, self.last.get(pid, 0.0))
            if self.done.wait(self.interval):
                break

    def stop(self):
        """Stop polling (after one last reading) and return the CPU seconds used since start()."""
        self.done.set()
        self.join()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


# --- Load generator ----------------------------------------------------------------------------------------


class Request(NamedTuple):
    method: str
    path: str
    headers: dict | None = None
    body: bytes | None = None


@dataclass
class LoadResult:
    """Per-request (start offset, latency, status) and the wall time from the first start to the last end."""

    samples: list = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0  # the load generator's own CPU seconds (it shares the machine with the server)

    @property
    def count(self):
        return len(self.samples)

    @property
    def rate(self):
        return self.count / self.wall if self.wall else 0.0

    @property
    def latencies(self):
        return sorted(latency for _start, latency, _status in self.samples)

    def percentile(self, p):
        values = self.latencies
        if not values:
            return float("nan")
        return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]

    def statuses(self):
        counts = {}
        for _start, _latency, status in self.samples:
            counts[status] = counts.get(status, 0) + 1
        return dict(sorted(counts.items()))


def in_second_process(function, *args, **kwargs):
    """Run `function` in a fresh process (spawned: no Django state or connections inherited) and return its result.

    The load must not share a GIL with anything measured, and this process holds Django.
    """
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args, **kwargs).result()


def run_load(port, requests, *, concurrency, total=None, duration=None):
    """Send `requests` (cycled when `total` exceeds them) from `concurrency` keep-alive clients in a second process."""
    return in_second_process(_load, port, list(requests), concurrency, total or len(requests), duration)


def _load(port, requests, concurrency, total, duration):
    counter = itertools.count()
    barrier = threading.Barrier(concurrency + 1)
    per_thread = [[] for _ in range(concurrency)]
    deadline = [float("inf")]

    def client(samples):
        # http.client keeps the connection alive when the server does, and reopens it when the server closes it
        # (gunicorn's sync workers answer each request with Connection: close).
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        barrier.wait()
        while True:
            index = next(counter)
            if index >= total or time.perf_counter() > deadline[0]:
                break
            method, path, headers, body = requests[index % len(requests)]
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers or {})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0  # connection refused or reset: counted, never retried (a POST must not repeat)
            samples.append((started, time.perf_counter() - started, status))
        conn.close()

    threads = [threading.Thread(target=client, args=(samples,)) for samples in per_thread]
    for thread in threads:
        thread.start()
    barrier.wait()
    begin = time.perf_counter()
    cpu_begin = time.process_time()
    if duration:
        deadline[0] = begin + duration
    for thread in threads:
        thread.join()
    samples = [sample for samples in per_thread for sample in samples]
    if not samples:
        return LoadResult()
    end = max(start + latency for start, latency, _status in samples)
    samples = [(start - begin, latency, status) for start, latency, status in samples]
    return LoadResult(samples, end - begin, time.process_time() - cpu_begin)


# --- Reporting ------------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    result: LoadResult
    ceiling: LoadResult | None = None  # None: this row is a ceiling


def print_table(rows, unit="req/s"):
    header = f"{'name':44} {'requests':>8} {unit:>10} {'p50 ms':>8} {'p95 ms':>8} {'vs ceiling':>10}"
    print(header)
    print("-" * len(header))
    for row in rows:
        result = row.result
        ratio = "ceiling" if row.ceiling is None else f"{result.rate / row.ceiling.rate:.2f}"
        print(
            f"{row.name:44} {result.count:8d} {result.rate:10.1f} "
            f"{result.percentile(50) * 1000:8.1f} {result.percentile(95) * 1000:8.1f} {ratio:>10}"
        )
