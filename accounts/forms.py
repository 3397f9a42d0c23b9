"""The clinician's profile: asked for at sign-up (allauth) or at the first enrolment, editable later."""

from django import forms
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import registry
from .language import active_language
from .models import Profession, User
from .regions import REGIONS


def _privacy_label():
    return format_html(
        '{} (<a href="{}" target="_blank" rel="noopener">{}</a>)',
        _("I have read the privacy notice and agree that my details are handled as it describes"),
        registry.privacy_notice_url()(),
        _("read the privacy notice, opens in a new tab"),
    )


privacy_label = lazy(_privacy_label, str)


class ProfileFieldsMixin(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    profession = forms.ChoiceField(label=_("Profession"), choices=[("", _("Choose…")), *Profession.choices])
    workplace = forms.CharField(
        label=_("Workplace"),
        max_length=200,
        help_text=_("Hospital and unit, for example “Akademiska sjukhuset, hematologen”."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("Choose…")), *REGIONS])
    preferred_language = forms.ChoiceField(
        label=_("Language for e-mail"), choices=[("sv", "Svenska"), ("en", "English")], widget=forms.RadioSelect
    )
    accept_privacy = forms.BooleanField(label=privacy_label(), required=True)

    PROFILE_FIELDS = ["first_name", "last_name", "profession", "workplace", "region", "preferred_language"]

    def apply_to(self, user):
        for name in self.PROFILE_FIELDS:
            setattr(user, name, self.cleaned_data[name])
        if self.cleaned_data.get("accept_privacy") and not user.has_accepted_current_privacy_notice:
            user.accept_privacy_notice()


class SignupProfileForm(ProfileFieldsMixin):
    """allauth's ACCOUNT_SIGNUP_FORM_CLASS: these fields are added to the sign-up form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = active_language()

    def signup(self, request, user):
        self.apply_to(user)
        user.save()


# Invoice defaults: offered on the enrolment form of a course with a fee; optional here.
INVOICE_DEFAULT_FIELDS = ["invoice_organisation", "cost_centre", "invoice_reference"]


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    # The line manager (asked for by courses that need their approval); optional here, kept for the next one.
    MANAGER_FIELDS = ["manager_name", "manager_email"]

    class Meta:
        model = User
        fields = [*ProfileFieldsMixin.PROFILE_FIELDS, *INVOICE_DEFAULT_FIELDS, "manager_name", "manager_email"]
        labels = {
            "invoice_organisation": _("Organisation to invoice"),
            "cost_centre": _("Cost centre"),
            "invoice_reference": _("Invoice reference"),
            "manager_name": _("Line manager's name"),
            "manager_email": _("Line manager's e-mail"),
        }
        help_texts = {
            "invoice_organisation": _("For courses with a fee: the region or company that pays, e.g. “Region Skåne”."),
            "cost_centre": _("For courses with a fee: your unit’s cost centre (kostnadsställe)."),
            "invoice_reference": _("For courses with a fee: the reference your unit wants on the invoice."),
            "manager_email": _("Courses that need your line manager's approval send the request here."),
        }
        widgets = {
            "manager_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "manager_email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance
        if user.has_accepted_current_privacy_notice:
            self.fields["accept_privacy"].initial = True

    def clean_manager_email(self):
        email = self.cleaned_data.get("manager_email", "").strip()
        if email and email.lower() == (self.instance.email or "").lower():
            raise forms.ValidationError(_("Give your line manager's address, not your own."))
        return email

    def save(self, commit=True):
        self.apply_to(self.instance)
        return super().save(commit=commit)
