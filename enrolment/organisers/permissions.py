"""Who may open the organisers' screens, and viewsets that register only the views organisers need."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from courses.models import Occasion

from .. import access
from ..models import Enrolment


class OrganisersMenuItem(MenuItem):
    """A menu item for the organisers' screens (reports, evaluations, invoice basis): shown to anyone who handles
    some occasion; each screen narrows what it lists to that person's centres (enrolment.access)."""

    def is_shown(self, request):
        return access.may_handle_any(request.user)


class CentreScopedPolicy(BasePermissionPolicy):
    """Who may open the organisers' lists: network admins and course owners, and for one enrolment or occasion
    only those who manage its centre. Every question Wagtail asks about an instance, or about which instances,
    is answered from `access.occasions_for(user)`; nothing here can add or delete rows."""

    ACTIONS = {"view", "change", "export"}

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and access.may_handle_any(user, access.MANAGE)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        occasion = instance if isinstance(instance, Occasion) else instance.occasion
        return self.user_has_permission(user, action) and access.may_handle(user, occasion)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        occasions = access.occasions_for(user)
        if self.model is Occasion:
            return occasions
        return self.model.objects.filter(occasion__in=occasions)

    def users_with_any_permission(self, actions):
        raise NotImplementedError


# Registered for the models, as Wagtail asks, so every admin view of them (and the menu) uses it.
register_permission_policy(Enrolment, CentreScopedPolicy(Enrolment), exact_class=True)
register_permission_policy(Occasion, CentreScopedPolicy(Occasion), exact_class=True)


def require(viewset, request, action="view"):
    """The viewset's own extra views (actions, tools) ask the same policy as Wagtail's generated ones."""
    if not viewset.permission_policy.user_has_permission(request.user, action):
        raise PermissionDenied  # the admin turns this into its "no permission" redirect


def require_role(user, role):
    """Screens outside a model viewset (check-in): someone with `role` at some centre."""
    if not access.may_handle_any(user, role):
        raise PermissionDenied


class OnlyTheseViews:
    """A viewset that registers only the views in `views`, and links to no other.

    Wagtail's generated views (add, edit, delete, copy, history, usage) ask the permission policy about the model,
    not the object, and load it by id from the whole table: whatever an organiser does not need is not there at
    all, so no id of another centre's row can reach one. tests/test_admin_scope.py walks every admin URL.
    """

    views = ("index", "index_results", "inspect")
    GENERATED = ("add", "edit", "delete", "copy", "history", "usage", "inspect", "reorder")

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in self.GENERATED:
            if name not in self.views:
                view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in self.views]

    @property
    def url_finder_class(self):
        # Links from the history report and log entries go to the inspect view, or nowhere.
        inspect = self.get_url_name("inspect") if "inspect" in self.views else None

        class URLFinder(ModelAdminURLFinder):
            def construct_edit_url(self, instance):
                return reverse(inspect, args=[quote(instance.pk)]) if inspect else None

        return URLFinder
