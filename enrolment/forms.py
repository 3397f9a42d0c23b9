"""The enrolment form: the course's own questions, built from the page the person enrols through."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.blocks import answer_max_length
from courses.evaluation import SCALE

from .certificates import normalise_code
from .invoicing import INVOICE_FIELDS, MAX_LENGTHS, REQUIRED_MESSAGES
from .services import EnrolmentError

FIELD_PREFIX = "q_"


class ManagerFieldsMixin:
    """The line manager's name and address (courses that need their approval; enrolment/manager.py)."""

    manager_help_text = _(
        "This course needs your line manager's approval: they get an e-mail with buttons to approve or "
        "decline. We remember the address in your profile."
    )

    def add_manager_fields(self, user, name="", email=""):
        """Filled in from the profile (saved back there on enrolling), or from the manager named before."""
        self.fields["manager_name"] = forms.CharField(
            label=_("Your line manager's name"),
            max_length=200,
            initial=name or getattr(user, "manager_name", ""),
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
        self.fields["manager_email"] = forms.EmailField(
            label=_("Your line manager's e-mail"),
            initial=email or getattr(user, "manager_email", ""),
            help_text=self.manager_help_text,
            widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        )

    def clean_manager_email(self):
        email = self.cleaned_data["manager_email"].strip()
        if self.user is not None and email.lower() == (self.user.email or "").lower():
            raise forms.ValidationError(_("Give your line manager's address, not your own."))
        return email

    def manager(self):
        """{"name", "email"} for enrolment.services, or None when the course does not ask."""
        if "manager_email" not in self.fields:
            return None
        return {"name": self.cleaned_data["manager_name"], "email": self.cleaned_data["manager_email"]}


class ManagerChangeForm(ManagerFieldsMixin, forms.Form):
    """Another line manager for an enrolment that awaits the answer (enrolment.manager.change_manager)."""

    manager_help_text = _("They get the request by e-mail at once; the links sent to the address before stop working.")

    def __init__(self, *args, user, approval, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.approval = user, approval
        self.add_manager_fields(user, approval.manager_name, approval.manager_email)
        if approval.deadline is None:  # on the waiting list: nobody has been asked yet
            self.fields["manager_email"].help_text = _("We ask them by e-mail when a seat is free for you.")

    def clean(self):
        cleaned = super().clean()
        same_name = cleaned.get("manager_name", "").strip() == self.approval.manager_name
        if same_name and cleaned.get("manager_email", "").lower() == self.approval.manager_email.lower():
            raise forms.ValidationError(_("That is the line manager already asked. Change the name or the address."))
        return cleaned


class EnrolmentForm(ManagerFieldsMixin, forms.Form):
    def __init__(self, *args, course, user=None, asks_manager=None, invoice_defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The rule is the Swedish page's (the service reads it there); a translation not yet synced may lag.
        if course.requires_manager_approval if asks_manager is None else asks_manager:
            self.add_manager_fields(user)
        if invoice_defaults is not None:
            self._add_invoice_fields(invoice_defaults)
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

    # --- Invoice details (a course with a fee; see enrolment/invoicing.py) ---

    def _add_invoice_fields(self, defaults):
        """The organisation to invoice, the cost centre and the reference, filled in from the profile."""
        labels = {
            "invoice_organisation": (
                _("Organisation to invoice"),
                _("The region or company that pays, for example “Region Skåne”."),
                "organization",
            ),
            "cost_centre": (_("Cost centre"), _("Your unit’s cost centre (kostnadsställe), for example 51200."), "off"),
            "invoice_reference": (
                _("Invoice reference"),
                _("The reference your unit wants on the invoice, for example a reference code or a name."),
                "off",
            ),
        }
        for name in INVOICE_FIELDS:
            label, help_text, autocomplete = labels[name]
            self.fields[name] = forms.CharField(
                label=label,
                help_text=help_text,
                max_length=MAX_LENGTHS[name],
                initial=defaults.get(name, ""),
                widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
                error_messages={"required": REQUIRED_MESSAGES[name]},  # the service checks the rest
            )

    @property
    def invoice_fields(self):
        return [self[name] for name in INVOICE_FIELDS if name in self.fields]

    @property
    def invoice_field_names(self):
        """Left out of the form's general fields: the page groups them under a heading of their own."""
        return list(INVOICE_FIELDS) if self.asks_invoice_details else []

    @property
    def asks_invoice_details(self):
        return INVOICE_FIELDS[0] in self.fields

    def invoice_details(self):
        """What the person typed, for services.enrol (None when the course is free)."""
        if not self.asks_invoice_details:
            return None
        return {name: self.cleaned_data.get(name, "") for name in INVOICE_FIELDS}

    def add_invoice_errors(self, errors):
        for name, message in errors.items():
            self.add_error(name, message)


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


class EvaluationForm(forms.Form):
    """An occasion's evaluation: one optional field per question (`e_<block id>`); at least one answer."""

    PREFIX = "e_"

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            options = {"label": question.text, "required": False, "help_text": question.help_text}
            if question.kind == "scale":
                ends = {1: question.low_label, 5: question.high_label}
                choices = [(point, f"{point} – {ends[point]}" if ends.get(point) else str(point)) for point in SCALE]
                field = forms.TypedChoiceField(
                    choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, **options
                )
            elif question.kind == "choice":
                field = forms.TypedChoiceField(
                    choices=list(enumerate(question.choices)),
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    **options,
                )
            else:
                field = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), **options)
            self.fields[self.PREFIX + question.id] = field

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.answers():
            raise forms.ValidationError(_("Answer at least one question before you send the evaluation."))
        return cleaned

    def answers(self):
        """{question id: answer} for the questions answered."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.PREFIX + question.id)
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                answers[question.id] = value
        return answers
