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
        # A page made private must stop being served from the cache at once.
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction

        post_save.connect(invalidate, sender=PageViewRestriction, dispatch_uid="catalogue.page_cache.restricted")
        post_delete.connect(invalidate, sender=PageViewRestriction, dispatch_uid="catalogue.page_cache.unrestricted")
