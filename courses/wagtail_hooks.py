"""Admin for the course taxonomies: centres, topics and audiences, grouped under one menu item."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, Centre, Topic


class CentreViewSet(SnippetViewSet):
    model = Centre
    icon = "site"
    list_display = ["name", "region", "city", "contact_email", "locale"]
    search_fields = ["name", "region", "city"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


class CatalogueSnippets(SnippetViewSetGroup):
    items = (CentreViewSet, TopicViewSet, AudienceViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Catalogue")
    menu_name = "catalogue"


register_snippet(CatalogueSnippets)
