"""The one place enrolment reacts to the CMS: a published course may have changed its occasions."""

from django.db import transaction

from courses.models import CoursePage

from . import services


def course_published(sender, instance, revision=None, **kwargs):
    if isinstance(instance, CoursePage):
        user = getattr(revision, "user", None)
        # After the publish transaction commits, so the occasions are saved when we lock them.
        transaction.on_commit(lambda: services.apply_published_occasions(instance.pk, user))
