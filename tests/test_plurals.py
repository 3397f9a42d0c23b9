"""A count never meets a noun outside ngettext ("1 personer fick plats"), and greetings never print an empty name."""

import re
from pathlib import Path

import polib
import pytest
from django.template.loader import render_to_string

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "catalogue", "courses", "enrolment", "atmp", "templates"]
NOUNS = "people|persons|seats|enrolments|participants|occasions|personer|platser|anmälningar|deltagare|kurstillfällen"
# "%(count)s people", "{{ count }} personer", "{count} seats": a number placed straight before a noun.
COUNT_BEFORE_NOUN = re.compile(rf"(%\(\w+\)s|\{{\{{ ?[\w.]+ ?\}}\}}|\{{\w+\}}) ({NOUNS})\b")


def test_no_interface_string_puts_a_count_before_a_noun_without_ngettext():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if COUNT_BEFORE_NOUN.search(line) and "ngettext" not in line and "plural" not in line:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    # A plural string's singular sits two lines above the match; accept those written through ngettext.
    found = [entry for entry in found if not _inside_ngettext(entry)]
    assert found == []


def _inside_ngettext(entry):
    path, number, _rest = entry.split(":", 2)
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    before = "\n".join(lines[max(int(number) - 4, 0) : int(number)])
    return "ngettext(" in before or "{% plural %}" in before or re.search(r"blocktranslate[^%]*\bcount\b", before)


def test_the_swedish_catalogue_has_no_count_before_a_noun_outside_plural_entries():
    catalogue = polib.pofile(str(ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    used = {match.group(1) for match in re.finditer(r'"((?:[^"\\]|\\.)+)"', _all_source())}
    offending = [
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural
        and entry.msgid in used  # entries no longer in the code are left for makemessages to drop
        and (COUNT_BEFORE_NOUN.search(entry.msgid) or COUNT_BEFORE_NOUN.search(entry.msgstr))
    ]
    assert offending == []


def _all_source():
    return "\n".join(
        path.read_text(encoding="utf-8")
        for app in APPS
        for path in (ROOT / app).rglob("*")
        if "migrations" not in path.parts and path.suffix in {".py", ".html", ".txt"}
    )


@pytest.mark.parametrize("template", ["email/message.txt", "email/message.html"])
@pytest.mark.parametrize(("first_name", "greeting"), [("", "Hej!"), ("Karin", "Hej Karin!")])
def test_a_greeting_never_prints_an_empty_name(template, first_name, greeting):
    from django.utils import translation

    class Person:
        pass

    person = Person()
    person.first_name = first_name
    message = type("Message", (), {"user": person})()
    with translation.override("sv"):
        text = render_to_string(template, {"message": message, "body": "", "subject": ""})

    assert greeting in text
    assert "Hej !" not in text and "Hej ," not in text
