from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import registry as accounts_registry
        from courses import registry as courses_registry
        from courses.models import Audience, Centre, Topic
        from courses.page_cache import register_personal

        from . import personal, taxonomy
        from .models import privacy_notice_url
        from .setup import catalogue_pages, library_pages

        # Centre pages and courses without a centre go under the catalogue (courses.centres asks).
        courses_registry.catalogue_pages.register(catalogue_pages)
        # Each centre's part of the materials library goes under the library (courses.centres asks).
        courses_registry.library_pages.register(library_pages)
        # The sign-up and profile forms link to the privacy notice chosen in the site links.
        accounts_registry.privacy_notice_url.register(privacy_notice_url)
        # Topic, centre and audience names show on cached pages and in the catalogue's cached filter choices.
        for model in (Topic, Centre, Audience):
            name = model._meta.model_name
            post_save.connect(taxonomy.invalidate, sender=model, dispatch_uid=f"catalogue.taxonomy.saved.{name}")
            post_delete.connect(taxonomy.invalidate, sender=model, dispatch_uid=f"catalogue.taxonomy.deleted.{name}")
        # Following the view: a logged-in person's form (with their CSRF token) on the shared catalogue page.
        register_personal("follow_view", personal.follow_view_form)
