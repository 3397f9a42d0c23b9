"""Read-only JSON API (Wagtail API v2) so the regions' intranets can list courses.

GET /api/v2/pages/?type=courses.CoursePage&locale=en&fields=summary,upcoming_occasions_api

Wagtail's endpoint passes some values straight to the database or the search backend, where a malformed one
fails as a 500 (a lone `"` in a search on SQLite, `xor` as search operator, an offset beyond 64 bits, text in
a decimal or date filter). The filter backends and the paginator here check those values first and answer
400 with a JSON message saying what is wrong, as Wagtail already does for the values it checks itself.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from .search_backend import plain_search_text

# An OFFSET every database here takes (PostgreSQL and SQLite refuse beyond 64 bits), and far beyond the number
# of pages there will ever be: a larger offset is a mistake, not a request for an empty page.
MAX_OFFSET = 2**31 - 1
SEARCH_OPERATORS = ("and", "or")
BAD_VALUE_ERRORS = (ValidationError, ValueError, TypeError, OverflowError, ArithmeticError)


class APIPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        try:
            offset = int(request.GET.get("offset", 0))
        except ValueError:
            offset = 0  # Wagtail's own check answers "offset must be a positive integer"
        if offset > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


def _check_value(field, name, value):
    """The conversions a lookup makes when the query runs, done here where a bad value can be named."""
    kind = field.get_internal_type()
    try:
        prepared = field.get_prep_value(value)
        field.get_db_prep_value(prepared, connection, prepared=True)
    except BAD_VALUE_ERRORS as error:
        raise BadRequestError(f"field filter error. '{value}' is not a valid value for {name} ({kind})") from error
    # Django makes an out-of-range integer match nothing for an integer field, but not through a foreign key,
    # where the database driver refuses it (SQLite: OverflowError, a 500).
    low, high = connection.ops.integer_field_ranges.get(kind, (None, None))
    if prepared is not None and (low is not None and prepared < low or high is not None and prepared > high):
        raise BadRequestError(f"field filter error. '{value}' is out of range for {name}")


class APIFieldsFilter(FieldsFilter):
    """Field filters (`?cpd_hours=7.5`, `?first_published_at=...`) with every value checked against its field."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True)) - {"locale"}
        for name, value in request.GET.items():
            if name not in fields:
                continue
            try:
                field = queryset.model._meta.get_field(name)
            except LookupError:
                continue
            if isinstance(field, models.ForeignKey):
                field = field.target_field  # ?alias_of=12 compares with the id of the page it points to
            if isinstance(field, models.Field) and not field.is_relation:
                _check_value(field, name, value)
        try:
            return super().filter_queryset(request, queryset, view)
        except BAD_VALUE_ERRORS as error:
            raise BadRequestError("field filter error. a value does not fit its field") from error


class APISearchFilter(SearchFilter):
    """Wagtail's search filter with the operator checked and the text made plain for every backend."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        operator = request.GET.get("search_operator") or None
        if operator is not None and operator not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator must be 'and' or 'or'")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        try:
            return get_search_backend().search(
                plain_search_text(request.GET["search"]),
                queryset,
                operator=operator,
                order_by_relevance="order" not in request.GET,
            )
        except FilterFieldError as error:
            message = f"cannot filter by '{error.field_name}' while searching (field is not indexed)"
            raise BadRequestError(message) from error
        except OrderByFieldError as error:
            message = f"cannot order by '{error.field_name}' while searching (field is not indexed)"
            raise BadRequestError(message) from error


class CoursePagesAPIViewSet(PagesAPIViewSet):
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "summary"]
    pagination_class = APIPagination
    filter_backends = [
        APIFieldsFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        APISearchFilter,  # last, as in Wagtail: search results cannot be filtered further
    ]

    def initial(self, request, *args, **kwargs):
        # PostgreSQL text cannot hold a NUL character: such a search or filter can match nothing, and would
        # fail in the database (a 500) instead of being answered. Checked before every view (listing, detail,
        # find): `site` and `type` reach the database in all of them.
        if any("\x00" in value for _name, values in request.GET.lists() for value in values):
            raise BadRequestError("query parameters cannot contain NUL characters")
        super().initial(request, *args, **kwargs)

    def find_object(self, queryset, request):
        if "id" in request.GET:
            try:
                int(request.GET["id"])
            except ValueError:
                raise BadRequestError("id must be a positive integer") from None
        return super().find_object(queryset, request)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CoursePagesAPIViewSet)
