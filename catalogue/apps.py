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
        # Remembered routes name the Site they were found in.
        from wagtail.models import Site

        from . import routing

        post_save.connect(routing.invalidate, sender=Site, dispatch_uid="catalogue.routing.site_saved")
        post_delete.connect(routing.invalidate, sender=Site, dispatch_uid="catalogue.routing.site_deleted")
        # Topic, centre and audience names show on cached pages and in the catalogue's cached filter choices.
        from courses.models import Audience, Centre, Topic

        from . import taxonomy

        for model in (Topic, Centre, Audience):
            name = model._meta.model_name
            post_save.connect(taxonomy.invalidate, sender=model, dispatch_uid=f"catalogue.taxonomy.saved.{name}")
            post_delete.connect(taxonomy.invalidate, sender=model, dispatch_uid=f"catalogue.taxonomy.deleted.{name}")
