"""The clinician's own pages (the profile, the download of their data, deleting the account), and the way into
the admin, which goes through the same login as everything else."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from wagtail import hooks

from . import privacy, services
from .forms import ProfileForm
from .privacy_forms import DeleteAccountForm


def _private(response):
    # Personal pages and files must never sit in a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def profile(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect(next_url or "profile")
    # Sections other apps add (catalogue: the person's alerts), without accounts importing them.
    sections = [section(request) for section in hooks.get_hooks("account_profile_sections")]
    return _private(render(request, "accounts/profile.html", {"form": form, "next": next_url, "sections": sections}))


@login_required
def privacy_export(request):
    """Everything held about the person, as a JSON download."""
    response = HttpResponse(privacy.export_json(request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return _private(response)


@login_required
def privacy_delete(request):
    """GET: what deletion does, and the confirmation form. POST: delete the account and log out."""
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            privacy.delete_account(request.user)
        except privacy.PrivacyError as error:
            form.add_error(None, error.message)
            status = 409
        else:
            logout(request)
            return redirect("privacy_deleted")
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "can_delete": privacy.can_delete_itself(request.user),
        "upcoming": privacy.released_by_erasure(request.user, request.LANGUAGE_CODE),
    }
    return _private(render(request, "accounts/privacy_delete.html", context, status=status))


def privacy_deleted(request):
    """Where a deleted account lands, logged out."""
    return _private(render(request, "accounts/privacy_deleted.html"))


def _safe_next(request, next_url, default):
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def admin_login(request):
    """Where Wagtail sends people who need to log in (/admin/login/?next=...). There is no second login form:
    anyone not logged in goes to the site's own, and a POST here authenticates nobody."""
    next_url = _safe_next(request, request.GET.get("next"), reverse("wagtailadmin_home"))
    if request.user.is_authenticated:
        return admin_gate(request, next_url) or redirect(next_url)
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def admin_gate(request, next_url=None):
    """None when the logged-in person may use the admin now, otherwise the page or redirect that tells them what
    to do instead. Called for every admin request (atmp.middleware.AdminAccessMiddleware)."""
    problem = services.admin_entry_problem(request)
    if problem is None:
        return None
    next_url = next_url or request.get_full_path()
    if problem == services.AdminEntry.MFA_SETUP_REQUIRED:
        messages.info(
            request,
            _("The administration requires two-factor authentication. Set up an authenticator app to continue."),
        )
        return redirect("mfa_activate_totp")
    if problem == services.AdminEntry.MFA_CODE_REQUIRED:
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")
    context = {"problem": problem.value, "next": next_url}
    if problem == services.AdminEntry.OIDC_REQUIRED:
        context["provider_name"] = services.identity_provider_name()
        provider_login = reverse("openid_connect_login", kwargs={"provider_id": services.identity_provider_id()})
        context["provider_login_url"] = f"{provider_login}?{urlencode({'process': 'login', 'next': next_url})}"
    return _private(render(request, "accounts/admin_refused.html", context, status=403))
