"""One gate in front of the admin views that name an object Wagtail or wagtail-localize does not check per object.

Course owners have page and collection permissions on their own centre only (courses.centres), and the admin's
own views mostly ask about the object. Some do not: wagtail-localize's submit and update views check a global
permission; the explorer, "move" confirmation, workflow dialogs and the admin API's document and image details
answer any page, document or image id; choosers return any snippet or task; bulk actions list any object by
title. `check` finds the object behind such
a URL's arguments and refuses (403) unless the user may work on it. tests/test_admin_scope.py walks every admin
URL with another centre's objects, so a view this misses fails there.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.admin.models import EditingSession
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Task, Workflow
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from courses import translation_access

# Arguments that name a page, in any admin URL.
PAGE_ARGUMENTS = {"page_id", "parent_page_id", "page_to_move_id", "page_pk"}
# Namespaces whose `pk` (or `object_id`) is a page.
PAGE_NAMESPACES = {"wagtailadmin_pages", "wagtailadmin_api:pages"}
# {namespace: model} whose `pk` names an instance of the model, checked with its permission policy.
INSTANCE_NAMESPACES = {
    "wagtailadmin_api:documents": get_document_model,
    "wagtailadmin_api:images": get_image_model,
}
ANY_ACTION = ["add", "change", "delete", "choose", "publish", "view"]


def _namespace(match):
    return ":".join(match.namespaces)


def _page(page_id):
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page


def may_explore(user, page):
    """The pages a user may edit or publish, and their ancestors (the way to them): Wagtail's explorable pages."""
    return PagePermissionPolicy().explorable_instances(user).filter(pk=page.pk).exists()


def _check_pages(user, match, kwargs):
    ids = [kwargs[name] for name in PAGE_ARGUMENTS if name in kwargs]
    if _namespace(match) in PAGE_NAMESPACES and "pk" in kwargs:
        ids.append(kwargs["pk"])
    if match.namespace == "wagtailadmin_editing_sessions" and kwargs.get("model_name") == "page":
        ids.append(kwargs.get("object_id"))
    for page_id in ids:
        if not str(page_id).isdigit() or not may_explore(user, _page(page_id)):
            raise PermissionDenied


def _check_instance(user, match, kwargs):
    model_getter = INSTANCE_NAMESPACES.get(_namespace(match))
    if model_getter is None or "pk" not in kwargs:
        return
    instance = model_getter().objects.filter(pk=kwargs["pk"]).first()
    if instance is None:
        raise Http404
    if not policy_registry.get(instance).user_has_any_permission_for_instance(user, ANY_ACTION, instance):
        raise PermissionDenied


def _check_choosers(user, match, kwargs):
    """Snippet and task choosers: only for people who may work with that kind of thing at all."""
    namespace = _namespace(match)
    model = None
    if namespace.startswith("wagtailsnippetchoosers_"):
        model = getattr(match.func, "view_initkwargs", {}).get("model")
    elif match.view_name == "wagtailadmin_workflows:task_chosen":
        model = Task
    if model is None:
        return
    policy = policy_registry.get_by_type(Workflow if model is Task else model)
    if not policy.user_has_any_permission(user, ANY_ACTION):
        raise PermissionDenied


def _check_editing_session(user, match, kwargs):
    own = EditingSession.objects.filter(pk=kwargs.get("session_id"), user=user)
    if match.namespace == "wagtailadmin_editing_sessions" and "session_id" in kwargs and not own.exists():
        raise Http404


def _check_bulk(user, match, kwargs, ids):
    """Bulk actions take their ids from the query string; their confirmation page would list another centre's
    objects by title as "no permission", so each must be the user's before the view runs."""
    if match.url_name != "wagtail_bulk_action":
        return
    try:
        model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except LookupError as error:
        raise Http404 from error
    ids = [pk for pk in ids if pk != "all"]  # "all" is the listing's own, already scoped, selection
    if not all(pk.isdigit() for pk in ids):
        raise Http404
    for instance in model._default_manager.filter(pk__in=ids):
        if isinstance(instance, Page):
            allowed = may_explore(user, instance)
        else:
            allowed = policy_registry.get(instance).user_has_any_permission_for_instance(user, ANY_ACTION, instance)
        if not allowed:
            raise PermissionDenied


def check(user, match, kwargs, query_ids=()):
    """Raise PermissionDenied or Http404 unless `user` may work on every object the admin URL names (in its path,
    or as `id` in the query string of a bulk action)."""
    _check_bulk(user, match, kwargs, list(query_ids))
    if translation_access.NAMESPACE in match.namespaces:
        translation_access.check(user, kwargs)
        return
    _check_pages(user, match, kwargs)
    _check_instance(user, match, kwargs)
    _check_choosers(user, match, kwargs)
    _check_editing_session(user, match, kwargs)
