"""Reusable StreamField blocks for course pages and the site's other pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "info-circle"
        label = _("Callout")
        template = "blocks/callout.html"


class ProgrammeItemBlock(blocks.StructBlock):
    time = blocks.CharBlock(label=_("Time"), max_length=40, help_text=_("For example 09.00–10.30"))
    activity = blocks.CharBlock(label=_("Activity"), max_length=200)
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=200, required=False)


class ProgrammeBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False)
    items = blocks.ListBlock(ProgrammeItemBlock(), label=_("Items"))

    class Meta:
        icon = "time"
        label = _("Programme")
        template = "blocks/programme.html"


class SpeakerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=200)
    role = blocks.CharBlock(label=_("Role and organisation"), max_length=300, required=False)
    photo = ImageBlock(label=_("Photo"), required=False)

    class Meta:
        icon = "user"
        label = _("Speaker")
        template = "blocks/speaker.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)


class FaqBlock(blocks.StructBlock):
    items = blocks.ListBlock(QuestionAnswerBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "blocks/faq.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", icon="title", template="blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("Image"), template="blocks/image.html")
    callout = CalloutBlock()
    programme = ProgrammeBlock()
    speaker = SpeakerBlock()
    faq = FaqBlock()


# Kinds of answer picked from the organiser's own options (kept longer than free text, see accounts.privacy).
CHOICE_KINDS = {"choice", "multiple_choice", "yes_no"}
# Kinds whose options the organiser writes in `choices`.
KINDS_WITH_CHOICES = {"choice", "multiple_choice"}


def answer_max_length(kind):
    """The longest written answer a question of this kind takes (the form and the enrolment service check it)."""
    return 2000 if kind == "long_text" else 300


class QuestionBlock(blocks.StructBlock):
    """A question a course asks at enrolment. Its block id is kept in translations, so answers line up.

    The wording (question, help text, choices) is translated; the kind and whether an answer is required are
    synchronised from the Swedish page, so every language asks the same thing.
    """

    KINDS = [
        ("text", _("Short text")),
        ("long_text", _("Longer text")),
        ("choice", _("One of several choices")),
        ("multiple_choice", _("Any number of several choices")),
        ("yes_no", _("Yes or no")),
    ]

    label = blocks.CharBlock(label=_("Question"), max_length=200)
    help_text = blocks.CharBlock(label=_("Help text"), max_length=300, required=False)
    kind = blocks.ChoiceBlock(label=_("Kind of answer"), choices=KINDS, default="text")
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Choice"), max_length=100),
        label=_("Choices"),
        required=False,
        help_text=_("Only for questions answered with choices: at least two, each different."),
        default=[],
    )
    required = blocks.BooleanBlock(
        label=_("Required"),
        required=False,
        default=True,
        help_text=_("People cannot enrol without answering."),
    )

    class Meta:
        icon = "form"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        choices = [choice.strip() for choice in value.get("choices") or []]
        if value.get("kind") in KINDS_WITH_CHOICES:
            if len([choice for choice in choices if choice]) < 2:
                raise StructBlockValidationError(
                    block_errors={"choices": ValidationError(_("Give at least two choices."))}
                )
            if len(set(choices)) != len(choices):
                raise StructBlockValidationError(
                    block_errors={"choices": ValidationError(_("Each choice must be different."))}
                )
        elif any(choices):
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("Only questions answered with choices have choices: remove them, or change the kind.")
                    )
                }
            )
        return value


class EnrolmentQuestionsBlock(blocks.StreamBlock):
    question = QuestionBlock()


# --- Evaluation questions (asked after an occasion; see courses.evaluation) --------------------------------
# Answers are stored under the block's id, which translations keep, so answers in Swedish and English count
# together; a choice is stored as its position, which translations keep too.


class EvaluationQuestionBase(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    help_text = blocks.CharBlock(label=_("Help text"), max_length=300, required=False)


class ScaleQuestionBlock(EvaluationQuestionBase):
    low_label = blocks.CharBlock(
        label=_("What 1 means"), max_length=60, required=False, help_text=_("For example “Not at all”.")
    )
    high_label = blocks.CharBlock(
        label=_("What 5 means"), max_length=60, required=False, help_text=_("For example “Very much”.")
    )

    class Meta:
        icon = "order"
        label = _("Scale 1–5")


class ChoiceQuestionBlock(EvaluationQuestionBase):
    choices = blocks.ListBlock(blocks.CharBlock(label=_("Choice"), max_length=100), label=_("Choices"), default=[])

    class Meta:
        icon = "list-ul"
        label = _("One of several choices")

    def clean(self, value):
        value = super().clean(value)
        choices = [choice.strip() for choice in value.get("choices") or []]
        if len([choice for choice in choices if choice]) < 2:
            raise StructBlockValidationError(block_errors={"choices": ValidationError(_("Give at least two choices."))})
        if len(set(choices)) != len(choices):
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Each choice must be different."))}
            )
        return value


class FreeTextQuestionBlock(EvaluationQuestionBase):
    class Meta:
        icon = "pilcrow"
        label = _("Free text")


class EvaluationQuestionsBlock(blocks.StreamBlock):
    scale = ScaleQuestionBlock()
    choice = ChoiceQuestionBlock()
    text = FreeTextQuestionBlock()
