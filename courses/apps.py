from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from . import signals  # noqa: F401
        from .permissions import CentrePagePermissionPolicy

        register_permission_policy(Page, CentrePagePermissionPolicy(Page))
