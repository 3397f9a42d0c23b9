"""The confirmation asked before an account is deleted: the password, or a typed word for single sign-on."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def confirmation_word():
    return gettext("DELETE")


class DeleteAccountForm(forms.Form):
    """With a usable password the person types it; accounts that only log in through their region's single
    sign-on have none, so they type the confirmation word instead."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=_("Your password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )
        else:
            self.fields["confirmation"] = forms.CharField(
                label=_("Type %(word)s to confirm") % {"word": confirmation_word()},
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password")
        return password

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"].strip().upper()
        # The word in the page's language, or in English whatever the page's language.
        if typed not in {confirmation_word().upper(), "DELETE"}:
            raise forms.ValidationError(_("Type the word shown to confirm the deletion."), code="confirmation")
        return typed
