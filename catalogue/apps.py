from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from .page_cache import invalidate

        page_published.connect(invalidate, dispatch_uid="catalogue.page_cache.published")
        page_unpublished.connect(invalidate, dispatch_uid="catalogue.page_cache.unpublished")
