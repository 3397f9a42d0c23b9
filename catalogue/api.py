"""Read-only JSON API (Wagtail API v2) so the regions' intranets can list courses.

GET /api/v2/pages/?type=courses.CoursePage&locale=en&fields=summary,upcoming_occasions_api
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet


class CoursePagesAPIViewSet(PagesAPIViewSet):
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "summary"]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CoursePagesAPIViewSet)
