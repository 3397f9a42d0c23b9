"""The Swedish catalogue is complete: every interface string in the code has a Swedish translation."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
APPS = ["accounts", "catalogue", "courses", "enrolment", "atmp", "templates"]

TEMPLATE_STRING = re.compile(r"""{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+context\s+"([^"]+)")?""")
PYTHON_STRING = re.compile(r"""(?<![\w.])_\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_FILE))


def strings_in_source():
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
                continue
            text = path.read_text(encoding="utf-8")
            pattern = TEMPLATE_STRING if path.suffix != ".py" else PYTHON_STRING
            for match in pattern.finditer(text):
                found.add((match.group(1), path.relative_to(ROOT)))
    return found


def test_every_entry_of_the_swedish_catalogue_is_translated(catalogue):
    missing = [entry.msgid for entry in catalogue if not entry.translated() or "fuzzy" in entry.flags]
    assert missing == []


def test_every_interface_string_in_the_code_is_in_the_swedish_catalogue(catalogue):
    known = {entry.msgid for entry in catalogue}
    missing = sorted(f"{path}: {text}" for text, path in strings_in_source() if text not in known)
    assert missing == []


def test_the_compiled_catalogue_matches_the_source(catalogue):
    compiled = polib.mofile(str(PO_FILE.with_suffix(".mo")))
    compiled_entries = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled}
    stale = [
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural and compiled_entries.get((entry.msgctxt, entry.msgid)) != entry.msgstr
    ]
    assert stale == []
