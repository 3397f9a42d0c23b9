"""The person's own parts of the shared catalogue page (see courses.page_cache): following the view by e-mail."""

from django.middleware.csrf import get_token
from django.template.loader import render_to_string


def follow_view_form(parts, _arg):
    """A logged-in person follows the view with one click: a form with their CSRF token. Others keep the shared
    page's link to the page that asks for an address."""
    if not parts.user.is_authenticated:
        return None
    query = parts.request.GET.copy()
    query.pop("page", None)  # as the catalogue page's own `query_string`
    context = {"user": parts.user, "query_string": query.urlencode(), "csrf_token": get_token(parts.request)}
    return render_to_string("catalogue/includes/follow_view.html", context)
