"""Admin for the course taxonomies (centres, topics and audiences, grouped under one menu item), and where a
course owner starts: a "My courses" menu item, dashboard panel and page explorer on their centre's courses."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.sidebar import PageExplorerMenuItem as PageExplorerMenuItemComponent
from wagtail.admin.wagtail_hooks import ExplorerMenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .centres import owned_centre_pages
from .evaluation import DefaultEvaluation
from .library import REVIEW_INTERVAL, CentreMaterialsPage, MaterialPage
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


class DefaultEvaluationViewSet(SnippetViewSet):
    """The network's default evaluation questions, one per language; only network admins have its permissions."""

    model = DefaultEvaluation
    icon = "form"
    menu_label = _("Default evaluation")
    add_to_settings_menu = True
    list_display = ["__str__", "locale"]


register_snippet(DefaultEvaluationViewSet)


# --- Where a course owner starts: their centre's courses, not "Exploring: Root" ------------------------------
# An owner may edit their centre's page in Swedish and in English: Wagtail starts the explorer at the pages'
# common ancestor, the tree's root, three clicks away from the courses.


class OwnedCoursesMenuItem(MenuItem):
    def __init__(self):
        super().__init__(_("My courses"), "#", name="my-courses", icon_name="doc-full-inverse", order=50)

    def is_shown(self, request):
        return self._page(request) is not None

    def _page(self, request):
        if not hasattr(request, "_owned_centre_page"):
            request._owned_centre_page = owned_centre_pages(request.user).first()
        return request._owned_centre_page

    def render_component(self, request):
        url = reverse("wagtailadmin_explore", args=[self._page(request).pk])
        return LinkMenuItemComponent(self.name, self.label, url, icon_name=self.icon_name, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def register_owned_courses_menu_item():
    return OwnedCoursesMenuItem()


class ExplorerFromOwnCentre(ExplorerMenuItem):
    """Wagtail's "Pages" menu, opening on the owner's centre rather than the common ancestor of their pages."""

    def render_component(self, request):
        page = owned_centre_pages(request.user).first()
        if page is None:
            return super().render_component(request)
        return PageExplorerMenuItemComponent(
            self.name, self.label, self.url, page.pk, icon_name=self.icon_name, classname=self.classname
        )


@hooks.register("construct_main_menu")
def explorer_from_own_centre(request, menu_items):
    for index, item in enumerate(menu_items):
        if item.name == "explorer" and type(item) is ExplorerMenuItem:
            replacement = ExplorerFromOwnCentre(item.label, item.url, name=item.name, icon_name=item.icon_name)
            replacement.order = item.order
            menu_items[index] = replacement


@hooks.register("construct_homepage_panels")
def owned_courses_panel(request, panels):
    pages = list(owned_centre_pages(request.user))
    if pages:
        panels.insert(0, OwnedCoursesPanel(pages))


class OwnedCoursesPanel(Component):
    """Dashboard: straight to the courses of the owner's centre (and how to start a new one)."""

    name = "owned_courses"
    template_name = "courses/admin/owned_courses_panel.html"
    order = 40

    def __init__(self, pages):
        self.pages = pages

    def get_context_data(self, parent_context):
        # Each centre's part of the materials library beside its courses (one query for all).
        libraries = {
            page.centre_id: page
            for page in CentreMaterialsPage.objects.filter(
                centre_id__in=[page.centre_id for page in self.pages], locale__language_code=settings.LANGUAGE_CODE
            )
        }
        return {"pages": [(page, libraries.get(page.centre_id)) for page in self.pages]}


# wagtail-localize's translation editor writes its heading in JavaScript, "Svenska to English translation",
# outside any catalogue: this rewrites it with our catalogue's words while the admin speaks another language.
ENGLISH_HEADING = "%(source)s to %(target)s translation"
HEADING_SCRIPT = """<script>(() => {
  const words = JSON.parse(document.currentScript.dataset.words);
  const english = /^(.+) to (.+) translation$/;
  const rewrite = () => document.querySelectorAll("h1, h2, h3").forEach((heading) => {
    const match = heading.childElementCount === 0 && heading.textContent.trim().match(english);
    if (match) heading.textContent = words.replace("%(source)s", match[1]).replace("%(target)s", match[2]);
  });
  new MutationObserver(rewrite).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", rewrite);
})();</script>"""


@hooks.register("insert_global_admin_js")
def translation_editor_heading_in_the_admins_language():
    words = gettext("%(source)s to %(target)s translation")
    if words == ENGLISH_HEADING:
        return ""
    script = HEADING_SCRIPT.replace("{", "{{").replace("}", "}}").replace("<script>", '<script data-words="{}">', 1)
    return format_html(script, json.dumps(words))


# --- Materials due for review ---------------------------------------------------------------------------------


def stale_materials(user):
    """The materials (default language) `user` may edit that nobody has reviewed for a year, oldest first."""
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change", "publish"])
    return MaterialPage.objects.filter(
        pk__in=editable.values("pk"),
        locale__language_code=settings.LANGUAGE_CODE,
        last_reviewed__lt=timezone.localdate() - REVIEW_INTERVAL,
    ).order_by("last_reviewed", "title")


@hooks.register("construct_homepage_panels")
def stale_materials_panel(request, panels):
    materials = list(stale_materials(request.user)[:50])
    if materials:
        panels.append(StaleMaterialsPanel(materials))


class StaleMaterialsPanel(Component):
    """Dashboard: the owner's materials not reviewed for a year, each a click from its editor."""

    name = "stale_materials"
    template_name = "courses/admin/stale_materials_panel.html"
    order = 45

    def __init__(self, materials):
        self.materials = materials

    def get_context_data(self, parent_context):
        return {"materials": self.materials}
