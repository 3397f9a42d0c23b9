"""Reusable StreamField blocks for course pages and the site's other pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
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


class QuestionBlock(blocks.StructBlock):
    """A question a course asks at enrolment. Its block id is kept in translations, so answers line up."""

    KINDS = [
        ("text", _("Short text")),
        ("long_text", _("Longer text")),
        ("choice", _("One of several choices")),
        ("yes_no", _("Yes or no")),
    ]

    label = blocks.CharBlock(label=_("Question"), max_length=200)
    help_text = blocks.CharBlock(label=_("Help text"), max_length=300, required=False)
    kind = blocks.ChoiceBlock(label=_("Kind of answer"), choices=KINDS, default="text")
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Choice"), max_length=100),
        label=_("Choices"),
        required=False,
        help_text=_("Only for “one of several choices”."),
        default=[],
    )
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)

    class Meta:
        icon = "form"
        label = _("Question")


class EnrolmentQuestionsBlock(blocks.StreamBlock):
    question = QuestionBlock()
