"""The clinician's profile: asked for at sign-up (allauth) or at the first enrolment, editable later."""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.language import active_language
from courses.models import Audience

from .models import User
from .regions import REGIONS


class ProfessionField(forms.ModelChoiceField):
    """Professions in the visitor's language; stored as the entry in the default language."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Audience.objects.none(), empty_label=_("Choose…"), **kwargs)

    def refresh(self):
        self.queryset = Audience.objects.in_language()

    def clean(self, value):
        chosen = super().clean(value)
        if chosen is None:
            return None
        canonical = Audience.objects.filter(
            translation_key=chosen.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        return canonical or chosen


def _privacy_label():
    from catalogue.models import privacy_notice_url

    return format_html(
        '{} (<a href="{}" target="_blank" rel="noopener">{}</a>)',
        _("I have read the privacy notice and agree that my details are handled as it describes"),
        privacy_notice_url(),
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
    profession = ProfessionField(label=_("Profession"))
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profession"].refresh()

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


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ProfileFieldsMixin.PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance
        if user.profession_id:
            # Show the saved profession in the visitor's language.
            shown = Audience.objects.in_language().filter(translation_key=user.profession.translation_key).first()
            self.initial["profession"] = shown.pk if shown else user.profession_id
        if user.has_accepted_current_privacy_notice:
            self.fields["accept_privacy"].initial = True

    def save(self, commit=True):
        self.apply_to(self.instance)
        return super().save(commit=commit)
