"""The demo's texts, read from the TOML files beside this module.

Data only: `home.toml`, `centres.toml`, `topics.toml`, `audiences.toml`, `people.toml`, one file per course
in `courses/` and per standard page in `pages/` (Swedish and English side by side), and `demo.toml`, which
fixes the order courses and pages are created in.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent


def read(path):
    with path.open("rb") as file:
        return tomllib.load(file)


def in_order(folder, order):
    """Every file in folder, the listed slugs first in their order (the demo's random dates depend on it)."""
    files = {path.stem: path for path in sorted((DIRECTORY / folder).glob("*.toml"))}
    unknown = set(order) - set(files)
    if unknown:
        raise FileNotFoundError(f"demo.toml lists {sorted(unknown)}, which have no file in {folder}/")
    return [read(files[slug]) for slug in [*order, *(slug for slug in files if slug not in order)]]


@dataclass(frozen=True)
class DemoContent:
    centres: list
    topics: list
    audiences: list
    admin: dict
    check_in_helper: dict
    passwords: dict
    clinicians: list
    long_answers: list
    home_intro: dict
    pages: list
    courses: list
    evaluation_url: str

    def centre(self, slug):
        return next(centre for centre in self.centres if centre["slug"] == slug)


@cache
def load():
    index, people = read(DIRECTORY / "demo.toml"), read(DIRECTORY / "people.toml")
    home = read(DIRECTORY / "home.toml")
    return DemoContent(
        centres=read(DIRECTORY / "centres.toml")["centres"],
        topics=read(DIRECTORY / "topics.toml")["topics"],
        audiences=read(DIRECTORY / "audiences.toml")["audiences"],
        admin=people["admin"],
        check_in_helper=people["check_in_helper"],
        passwords=people["passwords"],
        clinicians=people["clinicians"],
        long_answers=people["long_answers"],
        home_intro={language: home[language]["intro"] for language in ("sv", "en")},
        pages=in_order("pages", index["pages"]),
        courses=in_order("courses", index["courses"]),
        evaluation_url=index["evaluation_url"],
    )
