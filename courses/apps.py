from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published, page_unpublished

        from . import (
            routing,
            signals,  # noqa: F401 - a saved centre gets its pages and groups
        )
        from .page_cache import invalidate
        from .permissions import CentrePagePermissionPolicy

        register_permission_policy(Page, CentrePagePermissionPolicy(Page))

        page_published.connect(invalidate, dispatch_uid="courses.page_cache.published")
        page_unpublished.connect(invalidate, dispatch_uid="courses.page_cache.unpublished")
        # A page made private must stop being served from the cache at once.
        post_save.connect(invalidate, sender=PageViewRestriction, dispatch_uid="courses.page_cache.restricted")
        post_delete.connect(invalidate, sender=PageViewRestriction, dispatch_uid="courses.page_cache.unrestricted")
        # Remembered routes name the Site they were found in.
        post_save.connect(routing.invalidate, sender=Site, dispatch_uid="courses.routing.site_saved")
        post_delete.connect(routing.invalidate, sender=Site, dispatch_uid="courses.routing.site_deleted")
