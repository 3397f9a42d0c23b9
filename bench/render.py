"""The uncached catalogue render, in-process: what one page costs the server right after a publish (the page
cache emptied), with 10 and with 100 courses, beside a ceiling measured in the same run.

Ceiling: the same bytes answered by a view that only returns them, through the same Django test client and
middleware (sessions, locale, authentication, the page cache's own look-up): what any page costs in this
process before the catalogue does any work of its own.

    .venv/bin/python bench/render.py [--renders 30] [--courses 100] [--profile] [--json results.json]

`--profile` (or BENCH_PROFILE=1) prints where one render's time goes (cProfile; `BENCH_PROFILE=cumulative` for
the call tree, `BENCH_PROFILE=sql` for its SQL statements).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BenchEnv, database_name  # noqa: E402
from pages import build_with_factories  # noqa: E402

PAGES = [
    ("catalogue /sv/kurser/", "/sv/kurser/"),
    ("catalogue /en/courses/", "/en/courses/"),
    ("catalogue sv ?topic=gmp", "/sv/kurser/?topic=gmp"),
    ("catalogue sv ?q=genterapi", "/sv/kurser/?q=genterapi"),
    ("catalogue sv ?page=2", "/sv/kurser/?page=2"),
]
CEILING_PATH = "/sv/bench-ceiling/"


def timed_renders(client, path, renders, after_publish):
    """Per render, (wall, this process's CPU) in milliseconds; each render comes right after a publish (the page
    cache dropped). CPU time leaves out the waits for PostgreSQL and Redis, and for other processes on the
    cores: on a shared machine it is the steadier of the two."""
    times = []
    for _ in range(renders):
        after_publish()
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append(((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000))
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return times


def medians(times):
    return statistics.median(wall for wall, _cpu in times), statistics.median(cpu for _wall, cpu in times)


def ceiling_view(content):
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(content)

    return view


def reuse(bench):
    """Set up Django on the database a previous `--keep` run left, if it has courses; True if so."""
    import psycopg

    try:
        with psycopg.connect(bench.database_url) as conn:
            conn.execute("SELECT 1 FROM courses_coursepage LIMIT 1").fetchone()
    except psycopg.Error:
        return False
    os.environ.update(bench.env)
    import django

    django.setup()
    print(f"reusing database {bench.database}")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=30, help="timed renders per page and size")
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--database", default=database_name("render"))
    parser.add_argument("--profile", action="store_true", help="profile one render of the first page")
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the database, and reuse it if it is there")
    args = parser.parse_args()
    profile = os.environ.get("BENCH_PROFILE", "1" if args.profile else "")

    bench = BenchEnv(args.database)
    if args.keep:  # static files collected once, beside the kept database
        bench.static_root = Path(tempfile.gettempdir()) / f"{args.database}-static"
        bench.env["BENCH_STATIC_ROOT"] = str(bench.static_root)
    try:
        if not (args.keep and reuse(bench)):
            bench.prepare()
            started = time.perf_counter()
            build_with_factories(args.courses)
            bench.analyze()
            print(f"{args.courses} courses from courses.factories in {time.perf_counter() - started:.1f} s")
        from django.core.signals import request_started
        from django.db import reset_queries

        # Django empties the query log when a request starts: keep it, so a request's queries can be counted.
        request_started.disconnect(reset_queries)

        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, override_settings
        from django.urls import path as url_path

        from courses import page_cache
        from courses.models import CoursePage

        client = Client(HTTP_HOST="127.0.0.1")
        # The size of the listing: the first `n` courses (by title number) shown, the others hidden.
        keys = list(
            CoursePage.objects.filter(locale__language_code="sv")
            .order_by("path")
            .values_list("translation_key", flat=True)
        )

        def show(n):
            CoursePage.objects.filter(translation_key__in=keys[:n]).update(live=True)
            CoursePage.objects.filter(translation_key__in=keys[n:]).update(live=False)

        results, figures = [], {}
        with override_settings(PAGE_CACHE_SECONDS=30):
            for size in (10, args.courses):
                show(size)
                for name, path in PAGES:
                    for _ in range(3):  # warm: templates, translations, the remembered routes
                        page_cache.invalidate()
                        content = client.get(path).content
                    page_cache.invalidate()
                    reset_queries()
                    with CaptureQueriesContext(connection) as queries:
                        client.get(path)
                    query_count = len(queries)  # now: the log is a bounded deque that later requests shift
                    times = timed_renders(client, path, args.renders, page_cache.invalidate)
                    # The ceiling: the same bytes, the same client and middleware, no work of the page's own.
                    urls = type("urls", (), {"urlpatterns": [url_path(CEILING_PATH[1:], ceiling_view(content))]})
                    with override_settings(ROOT_URLCONF=urls):
                        for _ in range(3):
                            client.get(CEILING_PATH)
                        ceiling = timed_renders(client, CEILING_PATH, args.renders, page_cache.invalidate)
                    cards = content.count(b'<article class="course-card"')
                    (wall, cpu), (ceiling_wall, ceiling_cpu) = medians(times), medians(ceiling)
                    fastest = min(wall for wall, _cpu in times)
                    results.append((name, size, cards, query_count, wall, fastest, cpu, ceiling_wall, ceiling_cpu))
                    figures[f"{name} ({size} courses)"] = {
                        "queries": query_count,
                        "render_ms": wall,
                        "fastest_ms": fastest,
                        "cpu_ms": cpu,
                        "ceiling_ms": ceiling_wall,
                        "ceiling_cpu_ms": ceiling_cpu,
                    }

            if profile:
                show(args.courses)
                path = PAGES[0][1]
                page_cache.invalidate()
                client.get(path)
                if profile == "sql":
                    with CaptureQueriesContext(connection) as queries:
                        page_cache.invalidate()
                        client.get(path)
                    for query in queries:
                        print(f"{query['time']}s  {query['sql'][:400]}\n")
                else:
                    profiler = cProfile.Profile()
                    page_cache.invalidate()
                    profiler.enable()
                    for _ in range(10):
                        page_cache.invalidate()
                        client.get(path)
                    profiler.disable()
                    out = io.StringIO()
                    order = "cumulative" if profile == "cumulative" else "tottime"
                    pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(45)
                    print(f"\nProfile of 10 renders of {path} with {args.courses} courses ({order}):")
                    print(out.getvalue())

        print()
        print(
            f"Uncached catalogue render (right after a publish), in-process, median of {args.renders} renders; "
            "ceiling: the same bytes from a view that only returns them, same client and middleware; "
            f"load average {' '.join(f'{load:.1f}' for load in os.getloadavg())} (2 cores)"
        )
        header = (
            f"{'page':28} {'courses':>7} {'cards':>5} {'queries':>7} {'ms':>7} {'fastest':>7} {'cpu ms':>7} "
            f"{'ceiling':>7} {'× ceil':>6} {'ceil cpu':>8}"
        )
        print(header)
        print("-" * len(header))
        for name, size, cards, queries, wall, fastest, cpu, ceiling_wall, ceiling_cpu in results:
            print(
                f"{name:28} {size:7d} {cards:5d} {queries:7d} {wall:7.1f} {fastest:7.1f} {cpu:7.1f} "
                f"{ceiling_wall:7.1f} {wall / ceiling_wall:6.1f} {ceiling_cpu:8.1f}"
            )
        print(
            f"slowest median render {max(row[4] for row in results):.1f} ms, in this process's CPU "
            f"{max(row[6] for row in results):.1f} ms (aim ≤ 30 ms); most queries {max(row[3] for row in results)} "
            "(aim ≤ 12)"
        )
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
        return 0
    finally:
        if not args.keep:
            bench.drop()


if __name__ == "__main__":
    sys.exit(main())
