"""The filters of the organisers' lists, each offering only the user's own centres, courses and occasions."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator
from wagtail.admin.filters import WagtailFilterSet

from courses.centres import courses_under_centres
from courses.models import Centre, CoursePage, Occasion

from .. import access
from ..models import Enrolment

Status = Enrolment.Status


def scoped_courses(user):
    """The Swedish course pages (which hold the occasions) the user may manage, by title."""
    return access.courses_for(user).filter(locale__language_code="sv").order_by("title")


class UpcomingFirstIterator(ModelChoiceIterator):
    """Occasions in two groups: upcoming ones, nearest first, then past ones, most recent first. An owner
    looks for next week's occasion, not for the one furthest in the future or for last September's."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        now = timezone.now()
        upcoming, past = [], []
        for occasion in self.queryset.order_by("start", "pk"):
            (upcoming if occasion.end >= now else past).append(self.choice(occasion))
        if upcoming:
            yield (_("Upcoming"), upcoming)
        if past:
            yield (_("Past"), past[::-1])


class OccasionChoiceField(ModelChoiceField):
    iterator = UpcomingFirstIterator


class OccasionChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OccasionChoiceField


class ParticipantFilterSet(WagtailFilterSet):
    centre = django_filters.ModelChoiceFilter(
        label=_("ATMP-centre"), queryset=Centre.objects.none(), method="filter_centre"
    )
    course = django_filters.ModelChoiceFilter(
        label=_("course"), queryset=CoursePage.objects.none(), method="filter_course"
    )
    occasion = OccasionChoiceFilter(label=_("occasion"), queryset=Occasion.objects.none())
    status = django_filters.MultipleChoiceFilter(label=_("status"), choices=Status.choices)
    starts_from = django_filters.DateFilter(
        label=_("occasions from"), field_name="occasion__start", lookup_expr="date__gte"
    )
    starts_until = django_filters.DateFilter(
        label=_("occasions until"), field_name="occasion__start", lookup_expr="date__lte"
    )

    class Meta:
        model = Enrolment
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user
        centres = Centre.objects.filter(locale__language_code="sv")
        if not access.is_network_admin(user):
            centres = centres.filter(pk__in=access.centre_ids_for(user))
        courses = scoped_courses(user)
        self.filters["centre"].queryset = centres
        self.filters["course"].queryset = courses
        self.filters["occasion"].queryset = Occasion.objects.filter(course__in=courses).select_related("course")

    def filter_centre(self, queryset, name, centre):
        return queryset.filter(occasion__course__in=courses_under_centres([centre.pk]))

    def filter_course(self, queryset, name, course):
        return queryset.filter(occasion__course__translation_key=course.translation_key)


class OccasionFilterSet(WagtailFilterSet):
    WHEN = [("upcoming", _("Upcoming")), ("past", _("Past"))]
    when = django_filters.ChoiceFilter(label=_("when"), choices=WHEN, method="filter_when", empty_label=_("All"))
    course = django_filters.ModelChoiceFilter(
        label=_("course"), queryset=CoursePage.objects.none(), method="filter_course"
    )

    class Meta:
        model = Occasion
        fields = ["status"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is not None and "when" not in data:
            # Organisers mostly look ahead: upcoming occasions unless they ask for past ones or all.
            data = data.copy()
            data["when"] = "upcoming"
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["course"].queryset = scoped_courses(request.user)

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(end__gte=now) if value == "upcoming" else queryset.filter(end__lt=now)

    def filter_course(self, queryset, name, course):
        return queryset.filter(course__translation_key=course.translation_key)
