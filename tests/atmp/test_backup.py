"""`manage.py backup` and `manage.py restore`: a backup restored into a fresh, empty database brings back every
course, enrolment, certificate and document, with the document's bytes; a database that is not empty is refused.

The restore runs as an operator would run it: `manage.py restore FILE` in another process, with DATABASE_URL
pointing at the new database (PostgreSQL: made with createdb) and empty document and media folders.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail_factories import ImageFactory

from courses.factories import OccasionFactory, create_course
from enrolment.certificates import issue_certificate
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT = b"%PDF-1.4 kompendium \x00\xff bytes som ska tillbaka"
COUNT_SCRIPT = """
import json
from atmp.backup import counts
from wagtail.documents import get_document_model
document = get_document_model().objects.get(title="Kompendium")
print(json.dumps({"counts": counts(), "bytes": document.file.read().hex(), "public": document.public}))
"""

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


@pytest.fixture
def content(site):
    """Two courses, enrolments (one attended, with its certificate), a document and an image."""
    course = create_course(site.catalogue["sv"], title="Cellterapi i praktiken")
    create_course(site.catalogue["sv"], title="GMP för sjukhusundantag")
    occasion = OccasionFactory(course=course, capacity=10)
    attended = EnrolmentFactory(occasion=occasion, status=Enrolment.Status.ATTENDED)
    EnrolmentFactory(occasion=occasion)
    issue_certificate(attended, now=occasion.end)  # issued once the occasion has taken place
    get_document_model().objects.create(title="Kompendium", file=ContentFile(CONTENT, name="kompendium.pdf"))
    ImageFactory(title="Kursbild")


def manage(*arguments, database_url, workdir):
    """Run manage.py in another process against another database and empty storage folders."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "atmp.settings.test",
        "DATABASE_URL": database_url,
        "TEST_MEDIA_ROOT": str(workdir / "media"),
        "TEST_DOCUMENTS_ROOT": str(workdir / "documents"),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def back_up(tmp_path):
    call_command("backup", directory=str(tmp_path / "backups"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    (archive,) = (tmp_path / "backups").glob("atmp-backup-*.tar.gz")
    return archive


def expected_counts():
    from atmp.backup import counts

    return counts()


def assert_restores(archive, database_url, workdir, expected):
    restored = manage("restore", str(archive), database_url=database_url, workdir=workdir)
    assert restored.returncode == 0, restored.stderr

    found = manage("shell", "-c", COUNT_SCRIPT, database_url=database_url, workdir=workdir)
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout.strip().splitlines()[-1])
    assert result["counts"] == expected
    assert bytes.fromhex(result["bytes"]) == CONTENT
    assert list((workdir / "media" / "original_images").iterdir())  # the course image came back too

    again = manage("restore", str(archive), database_url=database_url, workdir=workdir)
    assert again.returncode != 0
    assert "is not empty" in again.stderr


def test_a_backup_restores_into_a_fresh_sqlite_database(tmp_path, content):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite variant; the PostgreSQL one is below")
    expected = expected_counts()
    assert expected == {"courses": 2, "enrolments": 2, "certificates": 1, "documents": 1}
    archive = back_up(tmp_path)

    restored = tmp_path / "restored"
    assert_restores(archive, f"sqlite:///{restored / 'db.sqlite3'}", restored, expected)


@pytest.mark.postgres
def test_a_backup_restores_into_a_fresh_postgresql_database(tmp_path, content):
    expected = expected_counts()
    assert expected == {"courses": 2, "enrolments": 2, "certificates": 1, "documents": 1}
    archive = back_up(tmp_path)

    db = settings.DATABASES["default"]
    name = f"atmp_docs_restore_{uuid.uuid4().hex[:10]}"
    server = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    password = {"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {}
    environment = {**os.environ, **password}
    subprocess.run(["createdb", *server, name], check=True, env=environment)  # noqa: S607
    try:
        credentials = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
        url = f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        assert_restores(archive, url, tmp_path / "restored", expected)
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", name], check=False, env=environment)  # noqa: S607


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    not_a_backup = tmp_path / "anteckningar.tar.gz"
    not_a_backup.write_bytes(b"inte en backup")

    result = manage(
        "restore", str(not_a_backup), database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}", workdir=tmp_path
    )

    assert result.returncode != 0
    assert "Cannot read the backup" in result.stderr
    assert "Traceback" not in result.stderr
