from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self):
        from wagtail.signals import page_published

        from courses import registry
        from courses.page_cache import register_personal

        from . import personal, seats
        from .signals import course_published

        # An occasion's seats_left and availability are enrolment's answers (courses.registry).
        registry.seats.register(seats)
        page_published.connect(course_published, dispatch_uid="enrolment.course_published")
        # The person's own enrolment state on the shared catalogue and course pages.
        register_personal("enrolment", personal.enrolment_badge)
        register_personal("enrol_action", personal.enrol_action)
