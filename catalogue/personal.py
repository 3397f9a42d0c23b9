"""The person's own parts of the shared catalogue page (see courses.page_cache): following the view by e-mail."""

from django.template.loader import render_to_string
from django.utils.html import conditional_escape

from courses.page_cache import StandInUser, language_frame, request_token

# The form is the same for everyone in a language but for the view's query and the token.
_QUERY, _TOKEN = "FOLLOW-QUERY-5d2a", "FOLLOW-CSRF-5d2a"


def _follow_frame():
    context = {"user": StandInUser(), "query_string": _QUERY, "csrf_token": _TOKEN}
    return render_to_string("catalogue/includes/follow_view.html", context)


def follow_view_form(parts, _arg):
    """A logged-in person follows the view with one click: a form with their CSRF token. Others keep the shared
    page's link to the page that asks for an address."""
    if not parts.user.is_authenticated:
        return None
    query = parts.request.GET.copy()
    query.pop("page", None)  # as the catalogue page's own `query_string`
    frame = language_frame("follow-view", _follow_frame)
    return frame.replace(_QUERY, conditional_escape(query.urlencode())).replace(_TOKEN, request_token(parts))
