"""The privacy registry contains everything: every model that points at a person, or keeps an e-mail address,
has an export and an erase handler in the privacy registry (accounts/privacy/, filled by each app's
privacy.py), or is exempt below for a stated reason.

A new model with a ForeignKey to the user (or an EmailField) fails here until someone decides which.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from accounts import privacy

# Wagtail's editorial record: who wrote, published, translated, uploaded or commented on content. Only staff
# (course owners, network admins) appear in it, and staff accounts are neither deleted by themselves
# (privacy.erase_person refuses them) nor anonymised by retention (dormant_accounts skips them): a network
# admin removes them and decides what the editorial history keeps. Participants never edit content.
EDITORIAL = "Wagtail's editorial history; only staff appear, and their accounts are removed by an admin"

EXEMPT = {
    "wagtailcore.Page.owner": EDITORIAL,
    "wagtailcore.Page.locked_by": EDITORIAL,
    "wagtailcore.Revision.user": EDITORIAL,
    "wagtailcore.PageLogEntry.user": EDITORIAL,
    "wagtailcore.WorkflowState.requested_by": EDITORIAL,
    "wagtailcore.TaskState.finished_by": EDITORIAL,
    "wagtailcore.Comment.user": EDITORIAL,
    "wagtailcore.Comment.resolved_by": EDITORIAL,
    "wagtailcore.CommentReply.user": EDITORIAL,
    "wagtailcore.PageSubscription.user": EDITORIAL,
    "wagtailcore.UploadedFile.uploaded_by_user": EDITORIAL,
    "wagtaildocs.Document.uploaded_by_user": EDITORIAL,
    "courses.CourseDocument.uploaded_by_user": EDITORIAL,
    "wagtailimages.Image.uploaded_by_user": EDITORIAL,
    "wagtail_localize.StringTranslation.last_translated_by": EDITORIAL,
    "wagtail_localize.SegmentOverride.last_translated_by": EDITORIAL,
    # Published contact addresses an editor types into a page or snippet: the centre's or the course's
    # contact, shown to the public on purpose, not data about a participant.
    "courses.Centre.contact_email": "a centre's published contact address",
    "courses.CoursePage.contact_email": "a course's published contact address, chosen by its editors",
    "courses.MaterialPage.contact_email": "a material's published contact address, chosen by its editors",
}


def points_at_user(field):
    if not (field.many_to_one or field.one_to_one):
        return False
    target = field.remote_field.model
    label = target if isinstance(target, str) else target._meta.label
    return label.lower() == settings.AUTH_USER_MODEL.lower()


def personal_data_fields(all_models):
    """{"app.Model.field": model} for fields that point at the user or hold an e-mail address.

    Only fields on the model's own table (`local_fields`): a page type inherits Page.owner, it does not
    declare it. Auto-created models (the user's group and permission links) count too.
    """
    found = {}
    for model in all_models:
        if model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            if points_at_user(field) or isinstance(field, models.EmailField):
                found[f"{model._meta.label}.{field.name}"] = model
    return found


def unhandled(all_models):
    return sorted(
        name
        for name, model in personal_data_fields(all_models).items()
        if privacy.handler_for(model) is None and name not in EXEMPT
    )


def project_models():
    return apps.get_models(include_auto_created=True)


def test_every_model_holding_personal_data_has_a_handler_or_a_stated_exemption():
    assert unhandled(project_models()) == []


def test_the_check_catches_a_new_model_without_a_handler():
    with isolate_apps("tests.privacy"):

        class Certificate(models.Model):
            user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            sent_to = models.EmailField()

            class Meta:
                app_label = "privacy"

            def __str__(self):
                return self.sent_to

    assert unhandled([Certificate]) == ["privacy.Certificate.sent_to", "privacy.Certificate.user"]


def test_exemptions_are_not_stale():
    found = personal_data_fields(project_models())

    assert sorted(set(EXEMPT) - set(found)) == []
    assert [name for name in EXEMPT if privacy.handler_for(found[name])] == []


@pytest.mark.parametrize("label", sorted(privacy.registry))
def test_every_handler_names_a_model_and_both_exports_and_erases(label):
    handler = privacy.registry[label]
    model = apps.get_model(label)

    assert privacy.handler_for(model) is handler
    assert type(handler).export is not privacy.Handler.export
    assert type(handler).erase is not privacy.Handler.erase


def test_handlers_export_under_different_keys():
    keys = [handler.key for handler in privacy.registry.values()]

    assert len(keys) == len(set(keys))
