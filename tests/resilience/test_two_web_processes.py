"""Two web processes on different ports, sharing only PostgreSQL, Redis and the document storage, serve one site.

A log-in, a publish (the page cache is on: the other process must drop its cached copy) and a document upload
made through one process are right through the other. Both run gunicorn with production settings.
"""

import contextlib

import pytest
from wagtail.documents import get_document_model
from wagtail.models import Collection

from courses.factories import create_course

from .processes import (
    PASSWORD,
    Visitor,
    base_env,
    collected_static,
    form_fields,
    gunicorn,
    person,
    shared_database_url,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

OLD_TITLE = "GMP för sjukhusundantag"
NEW_TITLE = "GMP för sjukhusundantag – ny kursplan"


@pytest.fixture
def two_web_processes(redis_server, tmp_path):
    collected_static()
    env = base_env(
        database_url=shared_database_url(),
        redis_url=redis_server.url,
        MEDIA_ROOT=tmp_path / "media",  # the shared volumes: images and, private, documents
        DOCUMENTS_ROOT=tmp_path / "documents",
        PAGE_CACHE_SECONDS=300,  # long enough that only an invalidation can explain a fresh page
    )
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(gunicorn(env, workers=1))
        second = stack.enter_context(gunicorn(env, workers=1))
        yield first, second


def test_a_login_a_publish_and_an_upload_through_one_process_are_seen_through_the_other(site, two_web_processes):
    first, second = two_web_processes
    course = create_course(site.catalogue["sv"], title=OLD_TITLE)
    editor = person("redaktor@example.se", first_name="Rut", is_staff=True, is_superuser=True)

    # A session: logged in through the first process, logged in on the second.
    on_first = Visitor(first.port)
    on_first.log_in(editor.email, PASSWORD)
    on_second = on_first.on(second.port)
    assert on_second.get("/sv/my-courses/").status_code == 200
    assert on_second.get("/admin/").status_code == 200

    # A publish through the first process drops the page the second one has cached.
    anonymous = Visitor(second.port)
    url = course.get_url()
    anonymous.get(url)
    cached = anonymous.get(url)
    assert cached.headers["X-Page-Cache"] == "hit"
    assert OLD_TITLE in cached.text
    course.title = NEW_TITLE
    course.save_revision()  # a draft, as an editor leaves it; published below through the first process
    bulk = f"/admin/bulk/wagtailcore/page/publish/?id={course.pk}&next=/admin/"
    confirm = on_first.get(bulk)
    assert confirm.status_code == 200
    published = on_first.post(bulk, {"include_descendants": ""})
    assert published.status_code == 302, published.text[:1000]
    fresh = anonymous.get(url)
    assert fresh.status_code == 200
    assert fresh.headers.get("X-Page-Cache") != "hit"
    assert NEW_TITLE in fresh.text

    # A document uploaded through the first process is served by the second.
    content = b"%PDF-1.4\n% Kursprogram GMP\n"
    form = on_first.get("/admin/documents/add/")
    assert form.status_code == 200
    fields = form_fields(form.text, 'name="title"')
    fields.pop("file", None)
    fields.update({"title": "Kursprogram", "collection": str(Collection.get_first_root_node().pk)})
    uploaded = on_first.post(
        "/admin/documents/add/", fields, files={"file": ("kursprogram.pdf", content, "application/pdf")}
    )
    assert uploaded.status_code == 302, uploaded.text[:1000]
    document = get_document_model().objects.get(title="Kursprogram")
    download = on_second.get(document.url)
    assert download.status_code == 200
    assert download.content == content

    # Logging out through the second process ends the session on the first.
    before_logout = Visitor(first.port)
    before_logout.cookies = dict(on_second.cookies)
    assert on_second.post("/sv/accounts/logout/").status_code == 302
    assert before_logout.get("/sv/my-courses/").status_code == 302  # the same cookie, now to the login page
