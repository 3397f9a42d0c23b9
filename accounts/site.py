"""Where the site answers and what the network is called there: the one source of absolute links and senders.

Links in e-mails, certificates (printed, so never reprintable with a wrong address), feeds, JSON-LD and the API
come from the Wagtail `Site` that serves the request, or from the default `Site` when there is no request (a
Celery task). `make run` and `manage.py setup_site` keep the default Site's hostname and port in step with
BASE_URL (catalogue.setup.follow_base_url), so there is nothing else to configure. It lives in the bottom layer
because every app sends or links: the account e-mails first.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Site

from accounts.language import active_language


def site_root_url(request=None):
    """`https://kurser.example.se` (no trailing slash): the Site serving `request`, else the default Site."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None:  # a database without the skeleton yet (first migration)
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url


def absolute_url(path, request=None):
    """An absolute address for a path on this site."""
    return site_root_url(request) + path


def network_name(language=None):
    """The network's name as people in that language know it: "ATMP-kurser" or "ATMP Courses"."""
    with translation.override(active_language(language)):
        return gettext("ATMP Courses")


def sender(language=None):
    """The From header: the network's name in the recipient's language, the address from DEFAULT_FROM_EMAIL."""
    return formataddr((network_name(language), parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def sender_address():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
