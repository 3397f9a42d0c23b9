"""The organisers' forms: Django forms rather than request.POST, so a NUL character or an overlong text gets
Django's message in the user's language, not a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .exports import COLUMNS


class EnrolmentActionForm(forms.Form):
    message = forms.CharField(label=_("Message to the participant (optional)"), required=False, max_length=2000)


class ExportColumnsForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[(key, column.label) for key, column in COLUMNS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    include_cancelled = forms.BooleanField(
        label=_("Include cancelled enrolments"),
        required=False,
        help_text=_("Cancelled people are left out unless you tick this or filter by status."),
    )


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("To"),
        choices=[
            ("participants", _("Everyone with a seat (confirmed, checked in, awaiting approval, offered)")),
            ("everyone", _("Everyone with a seat and the waiting list")),
        ],
        widget=forms.RadioSelect,
        initial="participants",
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Sent by e-mail to each person, in the course's name. A blank line starts a new paragraph."),
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Leave empty for no limit. Raising it gives seats to the waiting list at once."),
    )
