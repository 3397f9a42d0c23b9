"""Public pages under load: the catalogue (both languages, plain, filtered, searched) and a course page, uncached,
cached, and cached for logged-in people (their own parts filled in), over HTTP against gunicorn (2 workers) on
PostgreSQL with Redis.

Ceiling, measured in the same run right after each page: the same bytes served as a static file by the same
gunicorn and WhiteNoise. Also the SQL queries per page and the render time in this process (Django test
client against the same database).

    .venv/bin/python bench/pages.py [--duration 6] [--requests 2000] [--concurrency 16]
        [--modes uncached,cached,logged-in] [--json results.json]
"""

import argparse
import io
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BenchEnv, Request, Row, database_name, free_port, print_table, run_load  # noqa: E402
from enrolment_rush import logged_in_sessions  # noqa: E402

PRETIX_RATE = 24  # req/s: pretix's event page, PostgreSQL + Redis + 2 gunicorn workers
RENDERS = 10  # in-process renders timed per page


def build_content():
    """The demo content when `manage.py load_demo` exists (and works), else ~30 courses from the factories."""
    from django.core.management import call_command, get_commands

    if "load_demo" in get_commands():
        try:
            call_command("load_demo", i_know_this_is_not_production=True, stdout=io.StringIO())
            return "manage.py load_demo"
        except Exception as error:  # noqa: BLE001 - another engineer's command in progress; fall back
            print(f"load_demo failed ({type(error).__name__}: {error}); building courses with the factories")
    build_with_factories()
    return "30 courses from courses.factories"


def build_with_factories(count=30):
    import datetime as dt

    from catalogue.setup import ensure_site
    from courses.factories import (
        AudienceFactory,
        CentreFactory,
        OccasionFactory,
        TopicFactory,
        create_course,
        future_morning,
        translate_course,
        translate_snippet,
    )
    from courses.models import CourseFormat

    site = ensure_site()
    centres = []
    for slug, city in [("skane", "Lund"), ("uppsala", "Uppsala"), ("stockholm", "Stockholm"), ("vgr", "Göteborg")]:
        centre = CentreFactory(name=f"ATMP-centrum {city}", slug=slug, city=city, region=f"Region {city}")
        translate_snippet(centre, "en", name=f"ATMP Centre {city}")
        centres.append(centre)
    topics = []
    for slug, sv, en in [
        ("cell-therapy", "Cellterapi", "Cell therapy"),
        ("gene-therapy", "Genterapi", "Gene therapy"),
        ("gmp", "GMP och tillverkning", "GMP and manufacturing"),
        ("clinical-trials", "Kliniska prövningar", "Clinical trials"),
        ("nursing-care", "Omvårdnad", "Nursing care"),
    ]:
        topic = TopicFactory(name=sv, slug=slug)
        translate_snippet(topic, "en", name=en)
        topics.append(topic)
    audiences = []
    for slug, sv, en in [("physicians", "Läkare", "Physicians"), ("nurses", "Sjuksköterskor", "Nurses")]:
        audience = AudienceFactory(name=sv, slug=slug)
        translate_snippet(audience, "en", name=en)
        audiences.append(audience)
    formats = [CourseFormat.IN_PERSON, CourseFormat.ONLINE, CourseFormat.HYBRID]
    paragraph = "<p>" + "Kursen går igenom avancerade terapier, hantering och uppföljning av patienter. " * 6 + "</p>"
    for number in range(count):
        course = create_course(
            site.catalogue["sv"],
            title=f"Cellterapi och genterapi i vården, del {number + 1}",
            summary="En kurs om avancerade terapiläkemedel (ATMP) för vårdens yrkesgrupper.",
            body=[{"type": "heading", "value": "Om kursen"}, {"type": "paragraph", "value": paragraph}] * 3,
            centres=[centres[number % 4], centres[(number + 1) % 4]][: 1 + number % 2],
            topics=[topics[number % 5], topics[(number + 2) % 5]],
            audiences=audiences[: 1 + number % 2],
            format=formats[number % 3],
        )
        for occasion in range(1 + number % 3):
            start = future_morning(days=14 + 9 * number + 40 * occasion)
            OccasionFactory(
                course=course, start=start, end=start + dt.timedelta(hours=7), capacity=[12, 24, 30][occasion]
            )
        translate_course(
            course,
            "en",
            title=f"Cell and gene therapy in care, part {number + 1}",
            summary="A course on advanced therapy medicinal products (ATMP) for healthcare professions.",
        )


def pages_to_measure():
    """(name, path) of the pages, with a topic and a search word that the content actually has."""
    from django.db.models import Count
    from wagtail.models import Locale

    from courses.models import CoursePage, Topic

    topic = Topic.objects.filter(locale__language_code="sv").annotate(n=Count("courses")).order_by("-n", "slug")[0]
    words = {}
    for language in ("sv", "en"):
        titles = CoursePage.objects.live().filter(locale=Locale.objects.get(language_code=language))
        counts = Counter(
            word.lower() for title in titles.values_list("title", flat=True) for word in re.findall(r"\w{6,}", title)
        )
        words[language] = counts.most_common(1)[0][0]
    course = CoursePage.objects.live().filter(locale__language_code="sv").order_by("path").first()
    return [
        ("catalogue /sv/kurser/", "/sv/kurser/"),
        ("catalogue /en/courses/", "/en/courses/"),
        (f"catalogue sv ?topic={topic.slug}", f"/sv/kurser/?topic={topic.slug}"),
        (f"catalogue en ?topic={topic.slug}", f"/en/courses/?topic={topic.slug}"),
        (f"catalogue sv ?q={words['sv']}", f"/sv/kurser/?q={words['sv']}"),
        (f"catalogue en ?q={words['en']}", f"/en/courses/?q={words['en']}"),
        ("course page (sv)", course.url),
    ]


LOGGED_IN_PEOPLE = 20  # one per client: every request is someone else's page


def logged_in_cookies(course_path):
    """Session cookies of people with complete profiles; the first is enrolled in the course's first occasion, so
    the pages have personal parts to fill in."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from courses.models import CoursePage
    from enrolment.models import Enrolment

    password = make_password("bench-password")
    users = User.objects.bulk_create(
        [
            User(email=f"inloggad{n}@bench.example", password=password, first_name="Inloggad", last_name=f"Nr {n}")
            for n in range(LOGGED_IN_PEOPLE)
        ]
    )
    course = next(page for page in CoursePage.objects.live() if page.url == course_path)
    if occasion := course.upcoming_occasions[:1]:
        Enrolment.objects.create(user=users[0], occasion=occasion[0], status=Enrolment.Status.CONFIRMED)
    return [f"{settings.SESSION_COOKIE_NAME}={key}" for key in logged_in_sessions(users)], users


def measure_in_process(pages, host, static_root):
    """Per page: SQL queries, mean render time and result count; saves each page's HTML as a static file."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=host)
    measured = []
    # Uncached figures: what the server does for a page the cache has not seen yet.
    no_page_cache = override_settings(PAGE_CACHE_SECONDS=0)
    no_page_cache.enable()
    (static_root / "bench").mkdir(exist_ok=True)
    for number, (name, path) in enumerate(pages):
        for _ in range(3):  # warm: templates, translations, Wagtail's site and locale caches
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        query_count = len(queries)  # now: the next request resets the connection's query log
        started = time.perf_counter()
        for _ in range(RENDERS):
            client.get(path)
        render_ms = (time.perf_counter() - started) / RENDERS * 1000
        static_path = f"bench/page{number}.html"
        (static_root / static_path).write_bytes(response.content)
        courses = response.content.count(b'<article class="course-card"')
        measured.append((name, path, static_path, query_count, render_ms, len(response.content), courses))
    no_page_cache.disable()
    return measured


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=6.0, help="seconds per page (and per ceiling) at most")
    parser.add_argument("--requests", type=int, default=2000, help="requests per page (and per ceiling) at most")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database", default=database_name("pages"))
    parser.add_argument("--modes", default="uncached,cached,logged-in", help="which of uncached, cached, logged-in")
    parser.add_argument("--json", help="also write the rows here (name, req/s, p50, p95 in seconds)")
    args = parser.parse_args()
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]

    bench = BenchEnv(args.database)
    try:
        bench.prepare()
        started = time.perf_counter()
        source = build_content()
        bench.analyze()
        print(f"content: {source}, in {time.perf_counter() - started:.1f} s")
        pages = pages_to_measure()
        port = free_port()
        # The host gunicorn will be asked for, so the saved HTML is byte for byte what it serves.
        measured = measure_in_process(pages, f"127.0.0.1:{port}", bench.static_root)
        cookies, people = logged_in_cookies(pages[-1][1]) if "logged-in" in modes else ([], [])

        rows, statuses, differ, tracebacks, personal_ok = [], Counter(), [], 0, []
        plan = [
            ("uncached", "0", measured),
            ("cached", "30", measured),
            # Logged-in people: the catalogue and the course page, each request another person's.
            ("logged-in", "30", [measured[0], measured[-1]]),
        ]
        for mode, cache_seconds, targets in plan:
            if mode not in modes:
                continue
            with bench.gunicorn(port=port, PAGE_CACHE_SECONDS=cache_seconds) as server:
                for name, path, static_path, *_ in targets:
                    static_url = f"/static/{static_path}"
                    if mode == "logged-in":
                        requests = [Request("GET", path, {"Cookie": cookie}) for cookie in cookies]
                        # Each person sees their own name, and only their own.
                        for cookie, person in list(zip(cookies, people, strict=True))[:3]:
                            html = server.get(path, {"Cookie": cookie})[1].decode()
                            others = [p.last_name for p in people if p != person and f"{p.last_name}<" in html]
                            personal_ok.append(f"{person.last_name}<" in html and not others)
                    else:
                        requests = [Request("GET", path)]
                    run_load(port, [*requests[:2], Request("GET", static_url)], concurrency=2, total=20)
                    if mode == "uncached" and server.get(path)[1] != server.get(static_url)[1]:
                        differ.append(name)
                    page = run_load(
                        port, requests, concurrency=args.concurrency, total=args.requests, duration=args.duration
                    )
                    ceiling = run_load(
                        port,
                        [Request("GET", static_url)],
                        concurrency=args.concurrency,
                        total=args.requests,
                        duration=args.duration,
                    )
                    statuses.update({f"page {code}": n for code, n in page.statuses().items()})
                    statuses.update({f"static {code}": n for code, n in ceiling.statuses().items()})
                    rows += [
                        Row(f"{name} ({mode})", page, ceiling),
                        Row("  ceiling: same bytes as a static file", ceiling),
                    ]
                tracebacks += server.server_errors()

        print()
        print(
            f"Pages: {', '.join(modes)}; {args.concurrency} concurrent clients, at most "
            f"{args.duration:g} s or {args.requests} requests each, gunicorn -w 2 (sync), PostgreSQL, Redis; "
            "ceiling: WhiteNoise, same gunicorn"
        )
        print_table(rows)
        print(f"pretix reference: event page {PRETIX_RATE} req/s; the aim (10×) is {PRETIX_RATE * 10} req/s")
        print(f"responses: {dict(sorted(statuses.items()))}")
        if "uncached" in modes:
            identical = f"all but {', '.join(differ)}" if differ else "all"
            print(f"static copies byte-identical to the pages gunicorn serves: {identical}")
        if personal_ok:
            print(f"logged-in pages with the person's own name, no one else's: {sum(personal_ok)}/{len(personal_ok)}")
        print()
        print(
            f"{'in-process (Django test client, same database)':48} {'queries':>7} {'render ms':>9} {'KiB':>6} "
            f"{'courses':>7}"
        )
        for name, _path, _static, queries, render_ms, size, courses in measured:
            print(f"{name:48} {queries:7d} {render_ms:9.1f} {size / 1024:6.1f} {courses:7d}")
        if args.json:
            data = {
                row.name: {"rate": row.result.rate, "p50": row.result.percentile(50), "p95": row.result.percentile(95)}
                for row in rows
                if row.ceiling is not None
            }
            Path(args.json).write_text(json.dumps(data, indent=2))
        failed = [code for code in statuses if not code.endswith(" 200")]
        if failed or tracebacks or not all(personal_ok):
            print(f"FAIL: non-200 responses {failed}, {tracebacks} tracebacks in the server log, names {personal_ok}")
            return 1
        return 0
    finally:
        bench.drop()


if __name__ == "__main__":
    sys.exit(main())
