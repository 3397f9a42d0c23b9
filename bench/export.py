"""Attendee export: 10,000 participants of one occasion exported over HTTP as CSV and XLSX by a network admin,
against gunicorn (2 workers) with production settings on PostgreSQL.

Ceiling, measured in the same run: PostgreSQL's own `COPY (SELECT ... the same rows and columns ...) TO STDOUT
WITH CSV` from a second process. The export also has to hold: the right number of rows, the byte-order mark,
and a worker whose memory does not grow with the number of rows (streamed, not built in memory).

    .venv/bin/python bench/export.py [--rows 10000] [--repeat 5]
"""

import argparse
import codecs
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BenchEnv, database_name, in_second_process  # noqa: E402
from enrolment_rush import logged_in_sessions  # noqa: E402

COPY_SQL = """
COPY (
    SELECT u.first_name, u.last_name, u.email, u.profession, u.workplace, u.region, p.title, o.start, o.city,
           e.status, e.created_at
    FROM enrolment_enrolment e
    JOIN accounts_user u ON u.id = e.user_id
    JOIN courses_occasion o ON o.id = e.occasion_id
    JOIN wagtailcore_page p ON p.id = o.course_id
    WHERE e.occasion_id = {occasion}
    ORDER BY e.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def build(rows):
    """A centre's course with one occasion of `rows` confirmed participants, and a network admin's session."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Profession, User
    from catalogue.setup import ensure_site
    from courses.centres import network_admins
    from courses.factories import CentreFactory, OccasionFactory, create_course
    from enrolment.models import Enrolment

    ensure_site()
    centre = CentreFactory(name="Skånes universitetssjukhus", slug="skane")
    course = create_course(title="Genterapi vid hemofili – grundkurs", centres=[centre])
    occasion = OccasionFactory(course=course, capacity=None)
    small = OccasionFactory(course=course, capacity=None, start=occasion.start.replace(year=occasion.start.year + 1))
    profession = Profession.NURSE
    password = make_password("bench-password")
    people = User.objects.bulk_create(
        [
            User(
                email=f"deltagare{n}@sjukhus.example.se",
                first_name=["Åsa", "Örjan", "Märta", "Pär", "=HYPERLINK(1)"][n % 5],
                last_name=f"Ödegård-Lindström {n}",
                workplace="Skånes universitetssjukhus, hematologen",
                region="skane",
                profession=profession,
                password=password,
            )
            for n in range(rows)
        ],
        batch_size=2000,
    )
    Enrolment.objects.bulk_create(
        [Enrolment(user=user, occasion=occasion, status=Enrolment.Status.CONFIRMED) for user in people],
        batch_size=2000,
    )
    Enrolment.objects.bulk_create(
        [Enrolment(user=user, occasion=small, status=Enrolment.Status.CONFIRMED) for user in people[: rows // 10]]
    )
    admin = User.objects.create(email="admin@atmp.example", is_staff=True, password=password)
    network_admins().user_set.add(admin)
    [session] = logged_in_sessions([admin])
    return occasion, small, session


def download(port, path, session, repeat):
    """GET `path` `repeat` times with the admin's session; (seconds per download, bytes, first body)."""
    import http.client

    timings, body = [], b""
    for _ in range(repeat):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
        response = conn.getresponse()
        data = response.read()
        timings.append(time.perf_counter() - started)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        body = body or data
        conn.close()
    return timings, len(body), body


def copy_ceiling(database_url, occasion_id, repeat):
    import psycopg

    timings, size = [], 0
    with psycopg.connect(database_url) as conn:
        for _ in range(repeat):
            started = time.perf_counter()
            buffer = io.BytesIO()
            with conn.cursor().copy(COPY_SQL.format(occasion=int(occasion_id))) as copy:
                for data in copy:
                    buffer.write(data)
            timings.append(time.perf_counter() - started)
            size = buffer.tell()
    return timings, size


def worker_rss_kib(server):
    """Resident memory of gunicorn's workers (KiB, the largest), read from /proc."""
    import subprocess

    children = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):  # peak resident set size
                    sizes.append(int(line.split()[1]))
    return max(sizes) if sizes else 0


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default=database_name("export"))
    args = parser.parse_args()

    bench = BenchEnv(args.database)
    try:
        bench.prepare()
        started = time.perf_counter()
        occasion, small, session = build(args.rows)
        bench.analyze()
        print(
            f"{args.rows} participants on one occasion (and {args.rows // 10} on another) "
            f"in {time.perf_counter() - started:.1f} s"
        )

        csv_path = f"/admin/enrolments/?occasion={occasion.pk}&export=csv"
        xlsx_path = f"/admin/enrolments/?occasion={occasion.pk}&export=xlsx"
        small_path = f"/admin/enrolments/?occasion={small.pk}&export=csv"
        copy_times, copy_bytes = in_second_process(copy_ceiling, bench.database_url, occasion.pk, args.repeat)
        # One worker, so its peak memory tells what one export costs.
        with bench.gunicorn(workers=1) as server:
            in_second_process(download, server.port, small_path, session, 2)
            rss_small = worker_rss_kib(server)
            csv_times, csv_bytes, csv_body = in_second_process(download, server.port, csv_path, session, args.repeat)
            rss_large = worker_rss_kib(server)
            xlsx_times, xlsx_bytes, xlsx_body = in_second_process(
                download, server.port, xlsx_path, session, args.repeat
            )
            rss_xlsx = worker_rss_kib(server)
            tracebacks = server.server_errors()

        from enrolment.organisers.exports import DEFAULT_COLUMNS

        rows, columns = args.rows, len(DEFAULT_COLUMNS)
        print()
        print(f"Attendee export: {rows} rows, gunicorn -w 1 (sync), PostgreSQL, median of {args.repeat} downloads")
        header = f"{'name':44} {'seconds':>8} {'rows/s':>10} {'MB':>6} {'vs ceiling':>10}"
        print(header)
        print("-" * len(header))
        ceiling_rate = rows / median(copy_times)
        for name, times, size in (
            (f"CSV over HTTP ({columns} columns, UTF-8 with BOM)", csv_times, csv_bytes),
            (f"XLSX over HTTP ({columns} columns)", xlsx_times, xlsx_bytes),
            ("ceiling: PostgreSQL COPY of the same rows", copy_times, copy_bytes),
        ):
            rate = rows / median(times)
            ratio = "ceiling" if times is copy_times else f"{rate / ceiling_rate:.2f}"
            print(f"{name:44} {median(times):8.2f} {rate:10.0f} {size / 1e6:6.1f} {ratio:>10}")
        print(
            f"worker peak memory: {rss_small / 1024:.0f} MB after {rows // 10} rows, {rss_large / 1024:.0f} MB after "
            f"{rows} rows as CSV, {rss_xlsx / 1024:.0f} MB after XLSX"
        )

        from openpyxl import load_workbook

        csv_lines = csv_body.decode("utf-8-sig").count("\n")
        has_bom = csv_body.startswith(codecs.BOM_UTF8)
        sheet = load_workbook(io.BytesIO(xlsx_body), read_only=True).active
        xlsx_rows = sum(1 for _ in sheet.iter_rows(values_only=True))
        checks = [
            (
                f"CSV starts with the UTF-8 byte-order mark: {has_bom}",
                has_bom,
            ),
            (f"CSV rows (with heading): {csv_lines} of {rows + 1}", csv_lines == rows + 1),
            (f"XLSX rows (with heading): {xlsx_rows} of {rows + 1}", xlsx_rows == rows + 1),
            ("formulas neutralised: no cell starts with '='", b"\n=" not in csv_body and b",=" not in csv_body),
            (
                f"memory flat: +{(rss_large - rss_small) / 1024:.0f} MB for {rows - rows // 10} more CSV rows",
                rss_large - rss_small < 50 * 1024,
            ),
            (f"no server tracebacks: {tracebacks}", tracebacks == 0),
        ]
        print()
        for description, passed in checks:
            print(f"  {'ok  ' if passed else 'FAIL'} {description}")
        return 0 if all(passed for _description, passed in checks) else 1
    finally:
        bench.drop()


if __name__ == "__main__":
    sys.exit(main())
