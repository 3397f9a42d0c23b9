"""The catalogue's filters, parsed from the query string so every filtered view can be bookmarked."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import LANGUAGE_CHOICES, Audience, Centre, CourseFormat, Topic

SEARCH_MAX_LENGTH = 200


class SortOrder:
    DATE = "date"
    TITLE = "title"
    RELEVANCE = "relevance"
    CHOICES = [(DATE, _("Next date")), (TITLE, _("Title (A–Ö)")), (RELEVANCE, _("Best match"))]


class MonthField(forms.CharField):
    """A month as YYYY-MM, cleaned to the first day of that month."""

    default_error_messages = {"invalid": _("Give the month as year and month, for example 2027-03.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX_LENGTH, strip=True)
    topic = forms.MultipleChoiceField(label=_("Topic"), required=False, widget=forms.CheckboxSelectMultiple)
    centre = forms.MultipleChoiceField(label=_("ATMP-centre"), required=False, widget=forms.CheckboxSelectMultiple)
    audience = forms.MultipleChoiceField(label=_("Audience"), required=False, widget=forms.CheckboxSelectMultiple)
    format = forms.MultipleChoiceField(
        label=_("Format"), required=False, choices=CourseFormat.choices, widget=forms.CheckboxSelectMultiple
    )
    language = forms.MultipleChoiceField(
        label=_("Language"), required=False, choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    month = MonthField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    has_seats = forms.BooleanField(label=_("Only occasions with free seats"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SortOrder.CHOICES)

    FACETS = {"topic": Topic, "centre": Centre, "audience": Audience}

    def __init__(self, data=None, *, language_code=None, **kwargs):
        # A search longer than the limit is cut rather than refused: the visitor still gets results.
        if data is not None and len(data.get("q", "")) > SEARCH_MAX_LENGTH:
            data = data.copy()
            data["q"] = data["q"][:SEARCH_MAX_LENGTH]
            self.search_was_shortened = True
        else:
            self.search_was_shortened = False
        super().__init__(data, **kwargs)
        for name, model in self.FACETS.items():
            self.fields[name].choices = [(entry.slug, entry.name) for entry in model.objects.in_language(language_code)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
            cleaned.pop("date_to", None)
        return cleaned

    @property
    def filters(self):
        """The valid filters; an invalid one is left out (and its error shown) rather than spoiling the rest."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", [], False)}

    @property
    def problems(self):
        """Plain-language messages about the filters that could not be used."""
        self.is_valid()
        messages = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                if name in self.FACETS or name in ("format", "language"):
                    error = _("An unknown value was ignored.")
                messages.append(f"{label}: {error}" if label else str(error))
        if self.search_was_shortened:
            messages.append(_("The search text was shortened to %(count)s characters.") % {"count": SEARCH_MAX_LENGTH})
        return messages
