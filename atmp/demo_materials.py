"""The demo's materials library, from atmp/demo/materials.toml: about twenty materials in Swedish and English
across the centres, kinds and access levels. Idempotent: a material whose Swedish slug exists is left alone."""

import datetime as dt
import io
import tomllib
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from courses.centres import centre_collection
from courses.factories import create_material, get_locale, list_material, translate_material
from courses.library import MaterialPage
from courses.models import Audience, Centre, CoursePage, Topic

DATA = Path(__file__).parent / "demo" / "materials.toml"


def _pdf(title, summary):
    """A one-page PDF with the material's title and summary, so a demo download opens as what it says it is."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 18)
    page.drawString(60, 770, title)
    page.setFont("Helvetica", 11)
    page.drawString(60, 740, summary[:100])
    page.drawString(60, 722, summary[100:200])
    page.showPage()
    page.save()
    return buffer.getvalue()


def _by_slug(model, slugs):
    entries = {entry.slug: entry for entry in model.objects.filter(slug__in=slugs, locale=get_locale())}
    return [entries[slug] for slug in slugs if slug in entries]


def _courses(titles):
    pages = {page.title: page for page in CoursePage.objects.filter(title__in=titles, locale=get_locale())}
    return [pages[title] for title in titles if title in pages]


def load_materials(path=DATA):
    """Create the demo's materials that are missing; returns how many were made."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    made = 0
    for item in data["material"]:
        if MaterialPage.objects.filter(slug=item["slug"], locale=get_locale()).exists():
            continue
        centre = Centre.objects.filter(slug=item["centre"], locale=get_locale()).first() if item["centre"] else None
        swedish, english = item["sv"], item["en"]
        document = None
        if item.get("file"):
            document = get_document_model().objects.create(
                title=swedish["title"],
                file=ContentFile(_pdf(swedish["title"], swedish["summary"]), name=f"{item['slug']}.pdf"),
                **({"collection": centre_collection(centre)} if centre else {}),
            )
        courses = _courses(item.get("courses", []))
        material = create_material(
            title=swedish["title"],
            slug=item["slug"],
            summary=swedish["summary"],
            kind=item["kind"],
            access=item["access"],
            languages=item["languages"],
            centre=centre,
            topics=_by_slug(Topic, item["topics"]),
            audiences=_by_slug(Audience, item["audiences"]),
            courses=courses,
            document=document,
            link=item.get("link", ""),
            video_url=item.get("video_url", ""),
            last_reviewed=timezone.localdate() - dt.timedelta(days=item["reviewed_days_ago"]),
            contact_email=centre.contact_email if centre else "",
        )
        translate_material(material, "en", title=english["title"], summary=english["summary"])
        for course in [*courses, *_courses(item.get("listed_by", []))]:
            list_material(course, material)
        made += 1
    return made
