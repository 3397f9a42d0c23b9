from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self):
        from wagtail.signals import page_published

        from catalogue.page_cache import register_personal

        from . import personal
        from .signals import course_published

        page_published.connect(course_published, dispatch_uid="enrolment.course_published")
        # The person's own enrolment state on the shared catalogue and course pages.
        register_personal("enrolment", personal.enrolment_badge)
        register_personal("enrol_action", personal.enrol_action)
