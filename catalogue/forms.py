"""The catalogue's filters, parsed from the query string so every filtered view can be bookmarked."""

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from courses.library import MaterialKind
from courses.models import LANGUAGE_CHOICES, Audience, Centre, CourseFormat, Topic

SEARCH_MAX_LENGTH = 200
# Dates outside these are typing mistakes, and near the ends of Python's calendar they overflow when shifted.
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


class SortOrder:
    DATE = "date"
    TITLE = "title"
    RELEVANCE = "relevance"
    CHOICES = [(DATE, _("Next date")), (TITLE, _("Title (A–Z)")), (RELEVANCE, _("Best match"))]


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


class FacetField(forms.MultipleChoiceField):
    """Several values of one facet; unknown ones (an old bookmark, a renamed topic) are dropped, not fatal.

    The dropped values are kept in `unknown_values` so the form can say so.
    """

    unknown_values = ()

    def clean(self, value):
        values = self.to_python(value)
        self.unknown_values = [item for item in values if not self.valid_value(item)]
        return [item for item in values if self.valid_value(item)]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX_LENGTH, strip=True)
    topic = FacetField(label=_("Topic"), required=False, widget=forms.CheckboxSelectMultiple)
    centre = FacetField(label=_("ATMP-centre"), required=False, widget=forms.CheckboxSelectMultiple)
    audience = FacetField(label=_("Audience"), required=False, widget=forms.CheckboxSelectMultiple)
    format = FacetField(
        label=_("Format"), required=False, choices=CourseFormat.choices, widget=forms.CheckboxSelectMultiple
    )
    language = FacetField(
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
        from . import taxonomy

        language_code = language_code or translation.get_language() or settings.LANGUAGE_CODE
        for name in self.FACETS:
            self.fields[name].choices = taxonomy.choices(name, language_code)

    def clean(self):
        cleaned = super().clean()
        for name in ("month", "date_from", "date_to"):
            if cleaned.get(name) and not EARLIEST_DATE <= cleaned[name] <= LATEST_DATE:
                self.add_error(name, self.fields[name].error_messages["invalid"])
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
                if isinstance(self.fields.get(name), FacetField):
                    error = _("An unknown value was ignored.")
                messages.append(f"{label}: {error}" if label else str(error))
        for field in self.fields.values():
            if getattr(field, "unknown_values", None):
                messages.append(f"{field.label}: {_('An unknown value was ignored.')}")
        if self.search_was_shortened:
            messages.append(_("The search text was shortened to %(count)s characters.") % {"count": SEARCH_MAX_LENGTH})
        return messages


class MaterialFilterForm(CatalogueFilterForm):
    """The library's filters: the catalogue's facets that describe a material, and its kind; no dates."""

    kind = FacetField(
        label=_("Kind"), required=False, choices=MaterialKind.choices, widget=forms.CheckboxSelectMultiple
    )
    format = month = date_from = date_to = has_seats = sort = None
