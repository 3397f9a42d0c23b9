"""The enrolment form: the course's own questions, built from the page the person enrols through."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.blocks import answer_max_length

from .certificates import normalise_code
from .services import EnrolmentError

FIELD_PREFIX = "q_"


class EnrolmentForm(forms.Form):
    def __init__(self, *args, course, user=None, asks_manager=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The rule is the Swedish page's (the service reads it there); a translation not yet synced may lag.
        if course.requires_manager_approval if asks_manager is None else asks_manager:
            self.add_manager_fields(user)
        for block in course.enrolment_questions:
            question = block.value
            options = {"label": question["label"], "required": question["required"], "help_text": question["help_text"]}
            kind = question["kind"]
            if kind == "choice":
                field = forms.ChoiceField(
                    choices=[(choice, choice) for choice in question["choices"]], widget=forms.RadioSelect, **options
                )
            elif kind == "multiple_choice":
                field = forms.MultipleChoiceField(
                    choices=[(choice, choice) for choice in question["choices"]],
                    widget=forms.CheckboxSelectMultiple,
                    **options,
                )
            elif kind == "yes_no":
                field = forms.ChoiceField(
                    choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, **options
                )
            elif kind == "long_text":
                field = forms.CharField(
                    max_length=answer_max_length(kind), widget=forms.Textarea(attrs={"rows": 4}), **options
                )
            else:
                field = forms.CharField(max_length=answer_max_length(kind), **options)
            self.fields[FIELD_PREFIX + block.id] = field

    def answers(self):
        return {
            name.removeprefix(FIELD_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(FIELD_PREFIX)
        }

    def add_answer_errors(self, field_errors):
        for block_id, message in field_errors.items():
            self.add_error(FIELD_PREFIX + block_id, message)

    # --- The line manager (courses that need their approval; enrolment/manager.py) ---

    def add_manager_fields(self, user):
        """The line manager's name and address, filled in from the profile (saved back there on enrolling)."""
        self.fields["manager_name"] = forms.CharField(
            label=_("Your line manager's name"),
            max_length=200,
            initial=getattr(user, "manager_name", ""),
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
        self.fields["manager_email"] = forms.EmailField(
            label=_("Your line manager's e-mail"),
            initial=getattr(user, "manager_email", ""),
            help_text=_(
                "This course needs your line manager's approval: they get an e-mail with buttons to approve or "
                "decline. We remember the address in your profile."
            ),
            widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        )

    def clean_manager_email(self):
        email = self.cleaned_data["manager_email"].strip()
        if self.user is not None and email.lower() == (self.user.email or "").lower():
            raise forms.ValidationError(_("Give your line manager's address, not your own."))
        return email

    def manager(self):
        """{"name", "email"} for enrolment.services.enrol, or None when the course does not ask."""
        if "manager_email" not in self.fields:
            return None
        return {"name": self.cleaned_data["manager_name"], "email": self.cleaned_data["manager_email"]}


# --- Certificates of attendance -------------------------------------------------------------------------


class CertificateCodeForm(forms.Form):
    """The public verification page's one question: the code printed on the certificate."""

    code = forms.CharField(
        label=_("Verification code"),
        help_text=_("12 letters and digits, as on the certificate. Upper or lower case, with or without dashes."),
        # The length is checked in clean_code, with a message that says what a code looks like.
        widget=forms.TextInput(
            # maxlength: certificates.MAX_INPUT_LENGTH
            attrs={"maxlength": 40, "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        try:
            return normalise_code(self.cleaned_data["code"])
        except EnrolmentError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
