"""Answers a lower layer needs from an app above it, registered by that app when it loads.

The layers (docs/architecture.md) let an app import only the ones below it. When accounts or courses needs
something only an upper app knows (the privacy notice's page, the seats people hold), the upper app
registers it in its AppConfig.ready(), as pretix's data shredders and Wagtail's hooks do.
"""

from django.core.exceptions import ImproperlyConfigured


class Answer:
    """One answer, given by exactly one app above the layer that asks."""

    def __init__(self, name, given_by):
        self.name, self.given_by, self._provider = name, given_by, None

    def register(self, provider):
        self._provider = provider
        return provider

    def __call__(self):
        if self._provider is None:
            raise ImproperlyConfigured(f"No app has registered {self.name}: {self.given_by} does it when it loads.")
        return self._provider


# A function () -> the address of the privacy notice in the active language (catalogue's SiteLinks).
privacy_notice_url = Answer("the privacy notice's address", "catalogue (catalogue/apps.py)")
