"""`manage.py load_demo`: the demo site (atmp.demo), for development only. Safe to run again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from atmp.demo import loader


class Command(BaseCommand):
    help = "Load realistic demo content in Swedish and English (idempotent). Development only: DEBUG must be on."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            help="Run with DEBUG off too (a benchmark or a staging copy): the demo logins have published passwords.",
        )

    def handle(self, *args, **options):
        # The demo's superuser and organisers have passwords printed in this repository: on a real site they
        # would be the front door.
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "load_demo creates a superuser and organisers whose passwords are in the repository, so it runs "
                "only with DEBUG on (development settings). On a throw-away copy that is not production, pass "
                "--i-know-this-is-not-production."
            )
        started = time.monotonic()
        before = loader.counts()
        demo = loader.load()
        loader.report(demo, before, loader.counts(), time.monotonic() - started, self.stdout, self.style)
