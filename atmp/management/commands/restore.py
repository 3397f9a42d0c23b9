"""manage.py restore FILE: a backup made by `manage.py backup`, into an EMPTY database (atmp/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from atmp.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and the document and image storages."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A file made by `manage.py backup` (var/backups/atmp-backup-*.tar.gz).")

    def handle(self, *args, archive, **options):
        try:
            manifest, found, files = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for kind, expected in manifest["counts"].items():
            self.stdout.write(f"{kind}: {found.get(kind)} (backup had {expected})")
        self.stdout.write(f"files: {', '.join(f'{count} in {alias}' for alias, count in files.items()) or 'none'}")
        if any(found.get(kind) != expected for kind, expected in manifest["counts"].items()):
            raise CommandError("The restored database does not hold what the backup recorded.")
        self.stdout.write(self.style.SUCCESS(f"Restored {archive} (made {manifest['created']})."))
