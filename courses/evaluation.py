"""What a course's evaluation asks: the network's default questions (a translatable snippet network admins edit)
followed by the course's own (its page's Evaluation tab), in the page's language.

Who was asked and what they answered is enrolment's (enrolment/evaluations.py); this module only knows the
questions, so the course editor can show them and any layer can ask for them.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import TranslatableField

from .blocks import EvaluationQuestionsBlock

SCALE = (1, 2, 3, 4, 5)


class DefaultEvaluation(TranslatableMixin, models.Model):
    """The questions every course's evaluation starts with, one per language (wagtail-localize translates it).

    Network admins edit it under Settings; a course adds its own questions after these.
    """

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the questions, for example how long answering takes."),
    )
    questions = StreamField(EvaluationQuestionsBlock(), verbose_name=_("questions"), blank=True)

    panels = [FieldPanel("intro"), FieldPanel("questions")]
    translatable_fields = [TranslatableField("intro"), TranslatableField("questions")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("default evaluation")
        verbose_name_plural = _("default evaluation")

    def __str__(self):
        return str(_("Default evaluation")) + f" ({self.locale.language_code})"

    @classmethod
    def for_language(cls, language_code):
        """The default evaluation in that language, else the Swedish one, else None."""
        found = {
            default.locale.language_code: default
            for default in cls.objects.filter(
                locale__language_code__in={language_code, settings.LANGUAGE_CODE}
            ).select_related("locale")
        }
        return found.get(language_code) or found.get(settings.LANGUAGE_CODE)


@dataclass
class Question:
    """One question as the participant reads it (in one language); `id` is the same in every language."""

    id: str
    kind: str  # "scale", "choice" or "text"
    text: str
    help_text: str = ""
    choices: list = field(default_factory=list)
    low_label: str = ""
    high_label: str = ""
    from_network: bool = False


def _questions(stream, from_network):
    return [
        Question(
            id=block.id,
            kind=block.block_type,
            text=block.value["question"],
            help_text=block.value.get("help_text") or "",
            choices=list(block.value.get("choices") or []),
            low_label=block.value.get("low_label") or "",
            high_label=block.value.get("high_label") or "",
            from_network=from_network,
        )
        for block in stream
    ]


def evaluation_of(course):
    """(introduction, questions) of a course page's evaluation in the page's language: the network's default
    questions, then the course's own. No questions when the course does not evaluate its occasions."""
    if not course.evaluation_enabled:
        return "", []
    default = DefaultEvaluation.for_language(course.locale.language_code)
    network = _questions(default.questions, True) if default else []
    return (default.intro if default else ""), network + _questions(course.evaluation_questions, False)
