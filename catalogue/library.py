"""Finding materials in the library: the catalogue's facets that describe a material (topic, audience, centre,
language) and its kind, and search, as plain functions over querysets, in a fixed number of queries.

Every material is listed, also those the visitor may not open: the listing says why and how to get access
(courses.library.access_checker), and shows a file's address only to those who may open it.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils import translation

from courses.library import MaterialPage, access_checker
from courses.models import LANGUAGE_CHOICES, Audience, Centre, Topic, localized

from .services import _locale, search_text

MATERIAL_FACETS = {"topic": "topics", "audience": "audiences"}


def material_search_ranking(query, locale):
    """Ids of the live materials in `locale` matching a full-text search, best match first."""
    with translation.override(locale.language_code):
        results = MaterialPage.objects.live().filter(locale=locale).search(query, operator="and")
        return [page.pk for page in results]


def _material_pages(locale):
    return MaterialPage.objects.live().public().filter(locale=locale)


def _matching_materials(filters, pages, ranking):
    materials = pages
    for facet, relation in MATERIAL_FACETS.items():
        if slugs := filters.get(facet):
            field = getattr(MaterialPage, relation).field
            target = field.related_model._meta.model_name
            links = field.remote_field.through.objects.filter(
                materialpage=OuterRef("pk"), **{f"{target}__slug__in": slugs}
            )
            materials = materials.filter(Exists(links))
    if centres := filters.get("centre"):
        materials = materials.filter(centre__slug__in=centres)
    if kinds := filters.get("kind"):
        materials = materials.filter(kind__in=kinds)
    if languages := filters.get("language"):
        any_language = Q(pk__in=[])
        for code in languages:
            any_language |= Q(languages__contains=code)
        materials = materials.filter(any_language)
    if ranking is not None:
        materials = materials.filter(pk__in=ranking)
    return materials


def find_materials(filters, language, ranking=None):
    """Live materials in one language (a code or a Locale) matching `filters`, and their search ranks (or None).

    By title, or by relevance when searched.
    """
    locale = _locale(language)
    query = search_text(filters)
    if query and ranking is None:
        ranking = material_search_ranking(query, locale)
    materials = _matching_materials(filters, _material_pages(locale), ranking if query else None)
    ranks = {pk: rank for rank, pk in enumerate(ranking)} if query else None
    return materials.order_by("title", "pk"), ranks


def material_facet_counts(filters, language, ranking=None):
    """How many materials each facet value would give: {facet: {value: count}}; one query per facet."""
    locale = _locale(language)
    query = search_text(filters)
    if query and ranking is None:
        ranking = material_search_ranking(query, locale)
    ranking = ranking if query else None
    pages = _material_pages(locale)

    def materials_without(facet):
        return _matching_materials({k: v for k, v in filters.items() if k != facet}, pages, ranking)

    counts = {}
    for facet, relation in MATERIAL_FACETS.items():
        field = getattr(MaterialPage, relation).field
        target = field.related_model._meta.model_name
        rows = (
            field.remote_field.through.objects.filter(materialpage__in=materials_without(facet).values("pk"))
            .values_list(f"{target}__slug")
            .annotate(n=Count("materialpage", distinct=True))
            .order_by()
        )
        counts[facet] = dict(rows)
    counts["centre"] = dict(
        materials_without("centre")
        .order_by()
        .filter(centre__isnull=False)
        .values_list("centre__slug")
        .annotate(n=Count("pk"))
    )
    counts["kind"] = dict(materials_without("kind").order_by().values_list("kind").annotate(n=Count("pk")))
    counts["language"] = materials_without("language").aggregate(
        **{code: Count("pk", filter=Q(languages__contains=code)) for code, _label in LANGUAGE_CHOICES}
    )
    return counts


def library_page(materials, ranks, page_number, user, per_page=None):
    """One page of results with their names in the visitor's language and, for each, whether `user` may open it."""
    if ranks is not None:
        materials = sorted(materials, key=lambda material: ranks[material.pk])
    page = Paginator(materials, per_page or settings.CATALOGUE_PAGE_SIZE).get_page(page_number)
    items = list(page.object_list)
    prefetch_related_objects(
        items,
        "document",
        Prefetch("centre", queryset=Centre.objects.select_related("locale")),
        Prefetch("topics", queryset=Topic.objects.select_related("locale")),
        Prefetch("audiences", queryset=Audience.objects.select_related("locale")),
        "courses",
    )
    _attach_localized(items)
    checker = access_checker(user)
    for material in items:
        material.decision = checker.decide(material)
    page.object_list = items
    return page


def _attach_localized(materials):
    """Set `localized_topics`, `localized_audiences` and `localized_centre`, one query per taxonomy."""
    for relation in ("topics", "audiences"):
        entries = [entry for material in materials for entry in getattr(material, relation).all()]
        translated = iter(localized(entries))
        for material in materials:
            count = len(getattr(material, relation).all())
            material.__dict__[f"localized_{relation}"] = [next(translated) for _ in range(count)]
    centres = iter(localized([material.centre for material in materials if material.centre_id]))
    for material in materials:
        material.__dict__["localized_centre"] = next(centres) if material.centre_id else None
