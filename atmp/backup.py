"""Backups: the database and every stored file (documents and images) in one timestamped archive.

    archive = backup()          # var/backups/atmp-backup-20261202-031500.tar.gz
    restore(archive)            # into an EMPTY database only

The archive is a gzipped tar with
- manifest.json: when, which database engine, and how many courses, enrolments, certificates, documents;
- database.pgdump (PostgreSQL: `pg_dump -Fc`, restored with `pg_restore --no-owner`) or database.sqlite3
  (SQLite: a consistent copy made with SQLite's backup API, also while the site runs);
- files/<storage alias>/<name>: each file of the "documents" storage (private documents) and the "default"
  storage (MEDIA_ROOT: images), read and written through Django's storages, so a shared volume and an
  S3-compatible bucket work alike.

Restoring into a database that has any table is refused: a restore never mixes two sites' data.
"""

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import DatabaseError, connection
from django.utils import timezone
from wagtail.documents import get_document_model

from courses.models import CoursePage
from enrolment.models import Certificate, Enrolment

FORMAT = 1
STORAGE_ALIASES = ["documents", "default"]
MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
FILES = "files"


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the operator."""


def counts():
    """What a restore must bring back, by kind (also written to the manifest and printed after restore)."""
    try:
        return {
            "courses": CoursePage.objects.count(),
            "enrolments": Enrolment.objects.count(),
            "certificates": Certificate.objects.count(),
            "documents": get_document_model().objects.count(),
        }
    except DatabaseError as error:
        raise BackupError(f"The database does not hold this site's tables ({error}); run `make migrate`?") from error


def _engine():
    vendor = connection.vendor
    if vendor == "sqlite":  # SQLite makes the file on first use, but not its folder
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _postgres_command(program, *arguments):
    """A pg_dump/pg_restore command line for the default database, and its environment (password)."""
    db = settings.DATABASES["default"]
    command = [program]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    command += [*arguments, "--dbname", db["NAME"]]
    environment = dict(os.environ)
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]
    return command, environment


def _run(command, environment):
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _walk(storage, directory=""):
    """Every file name in a storage (listdir works on the file system and on S3 alike)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for name in directories:
        yield from _walk(storage, f"{directory}/{name}" if directory else name)


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _add_database(archive, workdir):
    if _engine() == "postgresql":
        dump = workdir / POSTGRES_DUMP
        _run(*_postgres_command("pg_dump", "--format=custom", "--no-owner", "--file", str(dump)))
        archive.add(dump, POSTGRES_DUMP)
    else:
        copy = workdir / SQLITE_COPY
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)  # consistent even while others write
        finally:
            target.close()
        archive.add(copy, SQLITE_COPY)


def _add_files(archive):
    added = {}
    for alias in STORAGE_ALIASES:
        storage = storages[alias]
        added[alias] = 0
        for name in sorted(_walk(storage)):
            info = tarfile.TarInfo(f"{FILES}/{alias}/{name}")
            info.size = storage.size(name)
            info.mode = 0o600
            with contextlib.suppress(NotImplementedError, OSError):
                info.mtime = int(storage.get_modified_time(name).timestamp())
            with storage.open(name, "rb") as content:
                archive.addfile(info, content)
            added[alias] += 1
    return added


def backup(directory=None):
    """Write one archive of the database and the stored files; returns its path."""
    engine = _engine()
    directory = Path(directory or Path(settings.VAR_DIR) / "backups")
    directory.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        directory.chmod(0o700)  # participants' personal data: for the operator only
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = directory / f"atmp-backup-{stamp}.tar.gz"
    partial = path.with_name(path.name + ".partial")
    manifest = {"format": FORMAT, "created": timezone.now().isoformat(), "engine": engine, "counts": counts()}
    try:
        with tempfile.TemporaryDirectory() as workdir, tarfile.open(partial, "w:gz") as archive:
            os.chmod(partial, 0o600)
            _add_database(archive, Path(workdir))
            manifest["files"] = _add_files(archive)
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        partial.rename(path)  # a half-written archive never looks like a backup
    finally:
        partial.unlink(missing_ok=True)
    return path, manifest


# --- Restore --------------------------------------------------------------------------------------------


def database_tables():
    return connection.introspection.table_names()


def _read_manifest(archive):
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("This is not an ATMP backup: it has no manifest.json.")
    manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _restore_database(archive, manifest, workdir):
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"The backup is of a {manifest['engine']} database; this site uses {engine}.")
    if engine == "postgresql":
        archive.extract(POSTGRES_DUMP, workdir, filter="data")
        arguments = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        command, environment = _postgres_command("pg_restore", *arguments)
        _run([*command, str(Path(workdir) / POSTGRES_DUMP)], environment)
    else:
        archive.extract(SQLITE_COPY, workdir, filter="data")
        connection.ensure_connection()
        source = sqlite3.connect(Path(workdir) / SQLITE_COPY)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()  # the next query sees the restored schema


def _restore_files(archive):
    restored = {}
    prefix = f"{FILES}/"
    for member in archive:
        if not member.isfile() or not member.name.startswith(prefix):
            continue
        alias, _slash, name = member.name[len(prefix) :].partition("/")
        if alias not in STORAGE_ALIASES or not name or ".." in Path(name).parts or name.startswith("/"):
            raise BackupError(f"Unexpected file in the backup: {member.name}")
        storage = storages[alias]
        if storage.exists(name):
            storage.delete(name)  # the archive's bytes win over a leftover with the same name
        saved = storage.save(name, archive.extractfile(member))
        if saved != name:
            raise BackupError(f"{alias} storage saved {name} as {saved}; restore stopped.")
        restored[alias] = restored.get(alias, 0) + 1
    return restored


def restore(path):
    """Restore an archive made by `backup` into the (empty) database and the storages; returns the counts."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    _engine()
    tables = database_tables()
    if tables:
        name = settings.DATABASES["default"]["NAME"]
        how = "a new file" if connection.vendor == "sqlite" else "a new database (createdb)"
        raise BackupError(
            f"The database {name} is not empty ({len(tables)} tables). Restore only into an empty database: "
            f"point DATABASE_URL at {how}."
        )
    try:
        with tarfile.open(path, "r:*") as archive, tempfile.TemporaryDirectory() as workdir:
            manifest = _read_manifest(archive)
            _restore_database(archive, manifest, workdir)
            files = _restore_files(archive)
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError) as error:
        raise BackupError(f"Cannot read the backup {path}: {error}") from error
    return manifest, counts(), files
