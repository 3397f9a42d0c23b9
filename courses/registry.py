"""Answers courses needs from the apps above it, registered by those apps when they load.

courses is a lower layer (docs/architecture.md): it knows what a course and an occasion are, not who has
taken an occasion's seats (enrolment's answer, `enrolment.seats`) nor which pages the catalogue lives on
(catalogue's answer). The upper app registers its answer in its AppConfig.ready() (accounts.registry.Answer),
so courses never imports it.
"""

from accounts.registry import Answer

# The module enrolment.seats: with_seats(queryset), with_enrolment_flag(queryset), seats_taken_subquery(),
# seats_taken(occasion), availability_at(occasion, now), ACCEPTS_ENROLMENT and HAS_SEATS.
seats = Answer("the seats of occasions", "enrolment (enrolment/apps.py)")

# A function () -> {language code: page}: the catalogue page in each language, built if missing; centre
# pages and courses without a centre go under it (see catalogue/apps.py).
catalogue_pages = Answer("the catalogue pages", "catalogue (catalogue/apps.py)")

# A function () -> {language code: page}: the materials library in each language, built if missing; each
# centre's part of the library goes under it (see catalogue/apps.py).
library_pages = Answer("the materials library pages", "catalogue (catalogue/apps.py)")
