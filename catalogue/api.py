"""Read-only JSON API (Wagtail API v2) so the regions' intranets can list courses.

GET /api/v2/pages/?type=courses.CoursePage&locale=en&fields=summary,upcoming_occasions_api
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet


class CoursePagesAPIViewSet(PagesAPIViewSet):
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "summary"]

    def check_query_parameters(self, queryset):
        # PostgreSQL text cannot hold a NUL character: such a search or filter can match nothing, and would
        # fail in the database (a 500) instead of being answered.
        if any("\x00" in value for _name, values in self.request.GET.lists() for value in values):
            raise BadRequestError("query parameters cannot contain NUL characters")
        super().check_query_parameters(queryset)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CoursePagesAPIViewSet)
