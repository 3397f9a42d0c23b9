from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self):
        from wagtail.signals import page_published

        from .signals import course_published

        page_published.connect(course_published, dispatch_uid="enrolment.course_published")
