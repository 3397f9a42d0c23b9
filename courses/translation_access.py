"""Who may translate what.

wagtail-localize checks only its global `submit_translation` permission on its submit and update views, which says
nothing about which pages: every one of its admin URLs that names an object passes through `check` first
(atmp.admin_scope), which finds the page or snippet behind the URL and asks Wagtail
whether the user may edit it. A centre's course owners may edit only their centre's pages (courses.centres), so
they translate only those.
"""

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

NAMESPACE = "wagtail_localize"


def _snippet(kwargs):
    try:
        model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except LookupError as error:
        raise Http404 from error
    instance = model._default_manager.filter(pk=unquote(kwargs["pk"])).first()
    if instance is None:
        raise Http404
    return [instance]


def _translation_objects(translation_id):
    from wagtail_localize.models import Translation

    translation = Translation.objects.select_related("source", "target_locale").filter(pk=translation_id).first()
    if translation is None:
        raise Http404
    # The source and, once made, the translated page: editing a translation writes to the latter.
    source = translation.source.get_source_instance()
    target = source.get_translation_or_none(translation.target_locale)
    return [source, *([target] if target is not None else [])]


def objects_behind(kwargs):
    """The pages or snippets a wagtail-localize URL acts on, found from its arguments (404 if missing)."""
    from wagtail_localize.models import TranslationSource

    if "page_id" in kwargs:
        page = Page.objects.filter(pk=kwargs["page_id"]).first()
        if page is None:
            raise Http404
        return [page.specific]
    if "translation_source_id" in kwargs:
        source = TranslationSource.objects.filter(pk=kwargs["translation_source_id"]).first()
        if source is None:
            raise Http404
        return [source.get_source_instance()]
    if "translation_id" in kwargs:
        return _translation_objects(kwargs["translation_id"])
    if "pk" in kwargs and "app_label" in kwargs:
        return _snippet(kwargs)
    return []


def may_edit(user, instance):
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_edit()
    policy = policy_registry.get(instance)
    return policy is not None and policy.user_has_permission_for_instance(user, "change", instance)


def check(user, kwargs):
    """Raise PermissionDenied unless `user` may edit every page or snippet the URL's arguments name."""
    for instance in objects_behind(kwargs):
        if not may_edit(user, instance):
            raise PermissionDenied


def preselect_only_target(request, match):
    """wagtail-localize's "Translate" form ticks the language named by `?select_locale=`: when the page lacks only
    one language (English, here), tick it, so the owner need not."""
    if match.view_name != f"{NAMESPACE}:submit_page_translation" or request.method != "GET":
        return
    if "select_locale" in request.GET:
        return
    page = Page.objects.filter(pk=match.kwargs.get("page_id")).first()
    if page is None:
        return
    translated = page.get_translations(inclusive=True).exclude(alias_of__isnull=False).values("locale_id")
    targets = list(Locale.objects.exclude(pk__in=translated).values_list("language_code", flat=True)[:2])
    if len(targets) == 1:
        query = request.GET.copy()
        query["select_locale"] = targets[0]
        request.GET = QueryDict(query.urlencode())
