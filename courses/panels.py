"""Admin panel telling editors whether a page's translations are missing or older than the original."""

import json

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.models import Locale, PageLogEntry


def translation_statuses(page):
    """One row per other language: (locale, translation or None, state), state in missing/outdated/draft/current.

    A live translation is outdated only when the original's translated or synchronised fields changed since the
    translation was made: occasions and materials are the course's, shared by every language, so adding one (and
    publishing the Swedish page to do so) leaves the translation current.
    """
    if not page.pk:
        return []
    is_original = page.locale.language_code == settings.LANGUAGE_CODE
    rows = []
    for locale in Locale.objects.exclude(pk=page.locale_id).order_by("language_code"):
        other = page.get_translation_or_none(locale)
        if other is None:
            state = "missing"
        elif not other.live:
            state = "draft"
        elif is_original and original_changed_since_translated(page, other.specific):
            state = "outdated"
        elif (
            not is_original
            and locale.language_code == settings.LANGUAGE_CODE
            and original_changed_since_translated(other.specific, page)
        ):
            state = "source_newer"
        else:
            state = "current"
        rows.append((locale, other, state))
    return rows


def original_changed_since_translated(original, translation):
    """Whether the (live) original's translated or synchronised fields differ from those the translation was made
    from: what wagtail-localize last read from the original, or else the original as published when the
    translation was last published."""
    from wagtail_localize.fields import get_translatable_fields
    from wagtail_localize.models import TranslationSource

    made_from = None
    source = TranslationSource.objects.filter(object_id=original.translation_key, locale_id=original.locale_id).first()
    if source is not None and source.translations.filter(target_locale_id=translation.locale_id).exists():
        if translation.last_published_at and translation.last_published_at < source.last_updated_at:
            return True  # synchronised, not yet published
        made_from = json.loads(source.content_json)
    elif translation.last_published_at:
        published = (
            PageLogEntry.objects.filter(
                page_id=original.pk,
                action="wagtail.publish",
                revision__isnull=False,
                timestamp__lte=translation.last_published_at,
            )
            .select_related("revision")
            .order_by("-timestamp", "-pk")
            .first()
        )
        made_from = published.revision.content if published else None
    if made_from is None:
        return bool(
            original.last_published_at
            and translation.last_published_at
            and translation.last_published_at < original.last_published_at
        )
    live = json.loads(type(original).objects.get(pk=original.pk).to_json())
    names = [field.field_name for field in get_translatable_fields(type(original))]
    return any(live.get(name) != made_from.get(name) for name in names)


def has_translation_source(page):
    """Whether wagtail-localize made this page's translations, so its "Sync translated pages" item is offered."""
    from wagtail_localize.models import TranslationSource

    return TranslationSource.objects.filter(object_id=page.translation_key, locale_id=page.locale_id).exists()


class TranslationStatusPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Translations"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/panels/translation_status.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rows"] = translation_statuses(self.instance)
            context["is_source"] = self.instance.locale.language_code == settings.LANGUAGE_CODE
            context["syncable"] = context["is_source"] and has_translation_source(self.instance)
            return context


class MaterialDownloadsPanel(Panel):
    """How many times the material (any language version) was downloaded, month by month, newest first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Downloads per month"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/panels/material_downloads.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            counts = self.instance.downloads.model.objects.filter(
                material__translation_key=self.instance.translation_key
            )
            context["rows"] = list(counts.values_list("month").annotate(total=Sum("count")).order_by("-month")[:24])
            return context


class DefaultEvaluationPanel(Panel):
    """The network's default evaluation questions, read-only on the course's Evaluation tab: the course's own
    questions are asked after these."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("The network's questions"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/panels/default_evaluation.html"

        def get_context_data(self, parent_context=None):
            from django.urls import reverse

            from .evaluation import DefaultEvaluation

            context = super().get_context_data(parent_context)
            language = self.instance.locale.language_code if self.instance.locale_id else settings.LANGUAGE_CODE
            default = DefaultEvaluation.for_language(language)
            context["default"] = default
            context["questions"] = list(default.questions) if default else []
            user = getattr(self.request, "user", None)
            if default is not None and user is not None and user.has_perm("courses.change_defaultevaluation"):
                context["edit_url"] = reverse("wagtailsnippets_courses_defaultevaluation:edit", args=[default.pk])
            return context
