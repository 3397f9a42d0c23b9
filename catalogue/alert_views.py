"""Thin views for alerts: follow a catalogue view, confirm the address, unsubscribe, manage one's alerts."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import alerts
from .models import Alert

MAX_QUERY = 2000


class FollowForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=Alert.Frequency.choices,
        initial=Alert.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            del self.fields["email"]  # the account's address, already verified


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def _query(request, source):
    query = alerts.normalise_query(QueryDict(source.get("query", "")), request.LANGUAGE_CODE)
    return query if len(query) <= MAX_QUERY else None


def follow(request):
    """GET: the view in words and the form; POST: follow it (logged in: at once; otherwise after confirming)."""
    source = request.POST if request.method == "POST" else request.GET
    query = _query(request, source)
    if query is None:
        messages.error(request, _("These filters are too many to follow; choose fewer."))
        return redirect("alert_follow")
    alert_preview = Alert(query=query, language=request.LANGUAGE_CODE)
    form = FollowForm(request.POST if request.method == "POST" else None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            try:
                alert, started = alerts.follow(
                    query=query,
                    language=request.LANGUAGE_CODE,
                    frequency=form.cleaned_data["frequency"],
                    user=user,
                    email=form.cleaned_data.get("email", ""),
                )
            except alerts.AlertError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                if started:
                    messages.success(request, _("You follow this view. We e-mail you when new courses match it."))
                    return redirect(alerts.catalogue_url(alert, request))
                return _private(render(request, "catalogue/alert_check_email.html", {"email": alert.email}))
        else:
            status = 400
    context = {"form": form, "query": query, "view": alerts.describe(alert_preview)}
    return _private(render(request, "catalogue/alert_follow.html", context, status=status))


def confirm(request, token):
    """GET asks (mail scanners open links); POST confirms."""
    alert = Alert.objects.filter(token=token).first()
    if alert is None:
        return _private(render(request, "catalogue/alert_gone.html", status=404))
    if request.method == "POST":
        alerts.confirm(token)
        messages.success(request, _("Your alert is on. We e-mail you when new courses match it."))
        return redirect(alerts.catalogue_url(alert, request))
    context = {"alert": alert, "view": alerts.describe(alert)}
    return _private(render(request, "catalogue/alert_confirm.html", context))


@csrf_exempt  # RFC 8058: mail software POSTs "List-Unsubscribe=One-Click" without our form; the token is the key
def unsubscribe(request, token):
    """GET: one button (link scanners must not unsubscribe anyone); POST: the alert is gone."""
    alert = Alert.objects.filter(token=token).first()
    if request.method == "POST":
        alerts.unsubscribe(token)
        return _private(render(request, "catalogue/alert_unsubscribed.html"))
    if alert is None:
        return _private(render(request, "catalogue/alert_gone.html", status=404))
    context = {"alert": alert, "view": alerts.describe(alert)}
    return _private(render(request, "catalogue/alert_unsubscribe.html", context))


@login_required
@require_POST
def delete(request, pk):
    if alerts.delete_for(request.user, pk):
        messages.success(request, _("The alert has been removed."))
    return redirect(f"{reverse('profile')}#alerts-heading")


@login_required
@require_POST
def change_frequency(request, pk):
    alert = alerts.alerts_of(request.user).filter(pk=pk).first()
    frequency = request.POST.get("frequency", "")
    if alert is not None and frequency in Alert.Frequency.values:
        alerts.follow(query=alert.query, language=alert.language, frequency=frequency, user=request.user)
        messages.success(request, _("The alert has been changed."))
    return redirect(f"{reverse('profile')}#alerts-heading")


def profile_section(request):
    """The person's alerts on their profile page (accounts asks through the `account_profile_sections` hook)."""
    from django.template.loader import render_to_string

    items = [
        (alert, alerts.describe(alert), alerts.catalogue_url(alert, request))
        for alert in alerts.alerts_of(request.user)
    ]
    return render_to_string(
        "catalogue/includes/profile_alerts.html",
        {"items": items, "frequencies": Alert.Frequency.choices},
        request=request,
    )
