"""The enrolment form: the course's own questions, built from the page the person enrols through."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.blocks import answer_max_length
from courses.evaluation import SCALE

from .certificates import normalise_code
from .services import EnrolmentError

FIELD_PREFIX = "q_"


class EnrolmentForm(forms.Form):
    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
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
