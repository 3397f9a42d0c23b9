from django.core.management.base import BaseCommand

from catalogue.setup import ensure_site


class Command(BaseCommand):
    help = "Create the locales, home pages and catalogue pages in Swedish and English (idempotent)."

    def handle(self, *args, **options):
        skeleton = ensure_site()
        self.stdout.write(f"Site ready: {skeleton.site}, catalogue at /sv/kurser/ and /en/courses/")
