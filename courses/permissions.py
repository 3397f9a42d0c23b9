"""Where the page explorer starts: for course owners, their centre's courses in Swedish, not the tree's root.

Wagtail roots the explorer, its breadcrumb and the Pages menu at the closest common ancestor of the pages a user
may edit. A course owner edits their centre's Swedish and English pages, whose common ancestor is the root, so
Wagtail opened on "Exploring: Root" (with its warning about pages without a URL) three clicks from the courses.
Counting only the default language's pages puts the start on the Swedish home page, above the centre's courses
and its part of the materials library; its English pages stay reachable from each page's translations. The
explorer's own address (/admin/pages/) then opens the centre's courses, where an owner's work starts
(`owners_start_page`, asked by atmp's admin middleware).
"""

from wagtail.models import Locale, Page
from wagtail.permission_policies.pages import PagePermissionPolicy


class CentrePagePermissionPolicy(PagePermissionPolicy):
    def explorable_root_instance(self, user):
        if hasattr(user, self._explorable_root_instance_cache_name):
            return getattr(user, self._explorable_root_instance_cache_name)
        pages = self.instances_with_direct_explore_permission(user)
        default_locale_id = Locale.get_default().pk
        in_default_language = [page for page in pages if page.is_root() or page.locale_id == default_locale_id]
        try:
            root_page = Page.objects.first_common_ancestor_of(
                in_default_language or pages, include_self=True, strict=True
            )
        except Page.DoesNotExist:
            root_page = None
        setattr(user, self._explorable_root_instance_cache_name, root_page)
        return root_page


def owners_start_page(user):
    """The one centre page (default language) whose courses the user edits, or None (several, or none)."""
    from .models import CentrePage

    policy = CentrePagePermissionPolicy(Page)
    pages = policy.instances_with_direct_explore_permission(user)
    default_locale_id = Locale.get_default().pk
    # One row per permission the user holds on a page: the same page comes several times.
    centres = {
        page.pk: page for page in pages if page.locale_id == default_locale_id and page.specific_class is CentrePage
    }
    return next(iter(centres.values())) if len(centres) == 1 else None
