"""manage.py backup [--directory DIR]: the database and every stored file in one archive (atmp/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from atmp.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the stored documents and images into one timestamped archive."

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Where to write the archive (default: var/backups/).")

    def handle(self, *args, directory=None, **options):
        try:
            path, manifest = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {kind}" for kind, count in manifest["counts"].items())
        files = ", ".join(f"{count} in {alias}" for alias, count in manifest["files"].items())
        self.stdout.write(f"{summary}; files: {files}")
        self.stdout.write(self.style.SUCCESS(str(path)))
