"""Admin panel telling editors whether a page's translations are missing or older than the original."""

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.models import Locale


def translation_statuses(page):
    """One row per other language: (locale, translation or None, state), state in missing/outdated/draft/current."""
    if not page.pk:
        return []
    rows = []
    for locale in Locale.objects.exclude(pk=page.locale_id).order_by("language_code"):
        other = page.get_translation_or_none(locale)
        if other is None:
            state = "missing"
        elif not other.live:
            state = "draft"
        elif page.last_published_at and other.last_published_at and other.last_published_at < page.last_published_at:
            # The original (default language) changed after this translation was last published.
            state = "outdated" if page.locale.language_code == settings.LANGUAGE_CODE else "source_newer"
        elif (
            page.locale.language_code != settings.LANGUAGE_CODE
            and page.last_published_at
            and other.last_published_at
            and other.last_published_at > page.last_published_at
        ):
            state = "source_newer"
        else:
            state = "current"
        rows.append((locale, other, state))
    return rows


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
