from django.core.management.base import BaseCommand

from catalogue.setup import ensure_site, follow_base_url
from courses.centres import ensure_all_centres


class Command(BaseCommand):
    help = (
        "Create the locales, home and catalogue pages in Swedish and English, each centre's pages and the "
        "staff groups (idempotent)."
    )

    def handle(self, *args, **options):
        # The Site's host is the public one from BASE_URL: JSON-LD, feeds and e-mails build links from it.
        skeleton = ensure_site()
        follow_base_url(skeleton.site)
        ensure_all_centres()
        catalogues = " and ".join(page.get_url() or page.url_path for page in skeleton.catalogue.values())
        self.stdout.write(f"Site ready: {skeleton.site}, catalogue at {catalogues}")
        self.stdout.write("Groups ready: network admins, and course owners and check-in helpers for each centre.")
