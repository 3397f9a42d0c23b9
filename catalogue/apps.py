from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from accounts import registry as accounts_registry
        from courses import registry as courses_registry

        from .models import privacy_notice_url
        from .setup import catalogue_pages, library_pages

        # Centre pages and courses without a centre go under the catalogue (courses.centres asks).
        courses_registry.catalogue_pages.register(catalogue_pages)
        # Each centre's part of the materials library goes under the library (courses.centres asks).
        courses_registry.library_pages.register(library_pages)
        # The sign-up and profile forms link to the privacy notice chosen in the site links.
        accounts_registry.privacy_notice_url.register(privacy_notice_url)
