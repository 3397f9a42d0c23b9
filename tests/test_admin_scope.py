"""Scoping by construction: every admin URL that takes an object id refuses another centre's object.

The walker takes the URL patterns from the resolver itself (so a view added later is walked without editing this
file), fills each id with an object of Uppsala's (its course page and translation, enrolment, occasion, documents,
images, collection, groups, translations...) and requests it, GET and POST, as Skåne's course owner, Skåne's
check-in helper and Uppsala's check-in helper. Each answer must be a refusal and the database must be unchanged.
A pattern whose id this file cannot fill fails the test: a new view forces a decision here.

A refusal is 403, 404, 405 (the method is not served, whatever the object), or Wagtail's own permission-denied
answer: a redirect to the dashboard with "Sorry, you do not have permission". A redirect to the login page or
anywhere else is not a refusal (the users here are logged in with admin access).
"""

import datetime as dt
import itertools
import re

import pytest
import wagtail_factories
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.models import EditingSession
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import GroupApprovalTask, Page, Site, UploadedFile, Workflow, WorkflowTask
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from accounts.factories import UserFactory
from catalogue.models import SiteLinks
from courses.centres import centre_collection, centre_page, centre_team
from courses.factories import (
    AudienceFactory,
    CentreFactory,
    OccasionFactory,
    TopicFactory,
    create_course,
    default_evaluation,
)
from courses.models import CentreTeam
from enrolment import services
from enrolment.models import Enrolment, OutboxMessage
from enrolment.organisers.participants import ENROLMENT_ACTIONS

from .enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db

OWNER, HELPER = CentreTeam.Role.COURSE_OWNER, CentreTeam.Role.CHECK_IN_HELPER
COURSE_TITLE = "Uppsalas hemliga genterapikurs"
PERSON_EMAIL = "deltagare.uppsala@example.se"

# --- Which object fills which URL argument ---------------------------------------------------------------

# Arguments that name a kind of thing, not an object: filled with a fixed value per URL (see KIND_VALUES).
KIND_PARAMS = {
    "app_label",
    "app_name",
    "model_name",
    "content_type_app_name",
    "content_type_model_name",
    "action",
    "action_name",
    "mode",
    "filter_spec",
}
# Patterns with arguments that are no object of anyone's: each with the reason.
NOT_OBJECT_VIEWS = {
    "wagtailadmin_password_reset_confirm": "a signed one-time token, not an object id; served to anyone who has it",
}
# {url name or namespace: {argument: kind of object}}; the full name wins over its namespace. A kind names an
# entry of the `uppsala` fixture; a list is walked one by one.
PAGES = ["page", "page_en"]
IDS = {
    "wagtailadmin_api:pages": {"pk": PAGES},
    "wagtailadmin_api:documents": {"pk": "document"},
    "wagtailadmin_api:images": {"pk": "image"},
    "wagtailadmin_explore": {"parent_page_id": "centre_page"},
    "wagtailadmin_explore_results": {"parent_page_id": "centre_page"},
    "wagtailadmin_choose_page_child": {"parent_page_id": "centre_page"},
    "wagtailadmin_pages": {
        "page_id": PAGES,
        "parent_page_id": "centre_page",
        "page_to_move_id": "page",
        "destination_id": "own_centre_page",
        "pk": "page",
        "revision_id": "revision",
        "revision_id_a": "revision",
        "revision_id_b": "revision",
        "task_state_id": "task_state",
        "task_id": "task",
        "workflow_state_id": "workflow_state",
    },
    "wagtailadmin_collections": {"pk": "collection", "collection_id": "collection"},
    "wagtailadmin_workflows": {"pk": "workflow", "page_pk": "page", "workflow_pk": "workflow", "task_id": "task"},
    "wagtailadmin_workflows:edit_task": {"pk": "task"},
    "wagtailadmin_workflows:disable_task": {"pk": "task"},
    "wagtailadmin_workflows:enable_task": {"pk": "task"},
    "wagtailadmin_editing_sessions": {"object_id": "page", "session_id": "editing_session"},
    "checkin:occasion": {"occasion_id": "today"},
    "checkin:mark": {"occasion_id": "today", "enrolment_id": "today_enrolment"},
    "checkin:all_present": {"occasion_id": "today"},
    "wagtail_localize": {
        "page_id": PAGES,
        "pk": "centre",
        "translation_source_id": "translation_source",
        "translation_id": "translation",
        "string_segment_id": "string_segment",
        "overridable_segment_id": "overridable_segment",
    },
    "wagtailforms": {"page_id": "page"},
    "wagtailredirects": {"redirect_id": "redirect"},
    "wagtailsettings": {"pk": "site_links"},
    "wagtaildocs": {"document_id": "document", "doc_id": "document", "uploaded_file_id": "uploaded_document"},
    "wagtaildocs_chooser": {"pk": "document"},
    "wagtailimages": {"image_id": "image", "uploaded_file_id": "uploaded_image"},
    "wagtailimages_chooser": {"pk": "image", "image_id": "image"},
    "occasions": {"pk": "occasion"},
    "enrolments": {"pk": "enrolment"},
    "outbox": {"pk": "outbox_message"},
    "evaluations": {"course_id": PAGES, "occasion_id": "occasion"},
    "wagtaillocales": {"pk": "locale"},
    "wagtailsites": {"pk": "site"},
    "wagtailusers_users": {"pk": "user"},
    "wagtailusers_groups": {"pk": "group"},
}
# {url name or namespace: {argument: value}} for the KIND_PARAMS.
KIND_VALUES = {
    "wagtailadmin_api:pages": {"action_name": list(PagesAdminAPIViewSet.actions)},
    "wagtailadmin_pages": {
        "content_type_app_name": "courses",
        "content_type_model_name": "coursepage",
        "action_name": "approve",
    },
    "wagtailadmin_editing_sessions": {"app_label": "wagtailcore", "model_name": "page"},
    "wagtail_localize": {"app_label": "courses", "model_name": "centre", "mode": "default"},
    "wagtailsettings": {"app_name": "catalogue", "model_name": "sitelinks"},
    "wagtailimages": {"filter_spec": "original"},
    "enrolments": {"action": list(ENROLMENT_ACTIONS)},
}
SNIPPET_NAMESPACE = re.compile(r"^wagtailsnippet(?:s|choosers)_(?P<app>[a-z_]+)_(?P<model>[a-z]+)$")


def lookup(table, name):
    """The entry of `table` for a URL name: its own, else its namespace's (nested namespaces, innermost first)."""
    entry = {}
    parts = name.split(":")
    for end in range(1, len(parts) + 1):
        entry.update(table.get(":".join(parts[:end]), {}))
    return entry


def params_of(pattern):
    if hasattr(pattern, "converters") and pattern.converters:
        return list(pattern.converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def admin_patterns():
    """(url name, argument names) for every URL pattern under /admin/, from the resolver's own list."""

    def walk(patterns, prefix, namespace, params):
        for pattern in patterns:
            here = params + params_of(pattern.pattern)
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, route, inner, here)
            elif route.startswith("admin/"):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield route, name, here

    return list(walk(get_resolver().url_patterns, "", None, []))


def object_urls(objects, names=None):
    """(url, url name) for every admin pattern that takes an object id, filled with Uppsala's objects; and the
    patterns that could not be filled, each with what is missing."""
    urls, unmapped = [], []
    for route, name, params in admin_patterns():
        ids = [param for param in params if param not in KIND_PARAMS]
        if not ids or name in NOT_OBJECT_VIEWS or (names and not names(name or "")):
            continue
        if name is None:
            unmapped.append(f"{route}: has no URL name")
            continue
        kinds = lookup(IDS, name)
        values = lookup(KIND_VALUES, name)
        if snippet := SNIPPET_NAMESPACE.match(name.split(":")[0]):
            kinds.setdefault("pk", f"{snippet['app']}.{snippet['model']}")
        choices = {}
        for param in params:
            if param in KIND_PARAMS:
                choice = values.get(param)
            else:
                kind = kinds.get(param)
                choice = [objects.get(k) for k in kind] if isinstance(kind, list) else objects.get(kind)
            if choice is None or (isinstance(choice, list) and None in choice):
                unmapped.append(f"{route} ({name}): no object for <{param}>")
                break
            choices[param] = choice if isinstance(choice, list) else [choice]
        else:
            for combination in itertools.product(*choices.values()):
                urls.append((reverse(name, kwargs=dict(zip(choices, combination, strict=True))), name))
    return urls, unmapped


# --- The database before and after ------------------------------------------------------------------------

# Written on every request, by anyone: the session, Wagtail's per-user admin preferences.
UNWATCHED_TABLES = {"django_session", "wagtailusers_userprofile"}


def watched_tables():
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed}
    return sorted((tables - UNWATCHED_TABLES) & set(connection.introspection.table_names()))


def snapshot(tables):
    """What each table in `tables` holds, to tell whether a request changed anything.

    On PostgreSQL, the rows this transaction has inserted, updated or deleted in each table so far, from the
    statistics collector in one query: stricter than comparing contents (a write that leaves a row as it was
    counts too) and far cheaper than reading every table after each of the walk's thousand requests. The counts
    keep what a rolled-back savepoint wrote, so a request is compared with a snapshot taken just before it.
    Elsewhere (SQLite), every row of every table.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
            writes = dict(cursor.fetchall())
            return {table: writes.get(table, 0) for table in tables}
        state = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our table names
            state[table] = sorted(map(repr, cursor.fetchall()))
        return state


def changed_tables(before, after):
    return sorted(table for table in before if before[table] != after.get(table))


def refused(response):
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and response.get("Location") == reverse("wagtailadmin_home")


def walk(users, urls, allowed=()):
    """Request every url as every user, GET and POST; the failures as readable lines (empty: all refused)."""
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)  # before the snapshot: logging in writes the user's last login
    failures = []
    tables = watched_tables()
    baseline = snapshot(tables)
    for role, (url, name), method in itertools.product(users, urls, ("get", "post")):
        if (role, name) in allowed:
            continue
        client = clients[role]
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":  # write counts: from just before this request
                    baseline = snapshot(tables)
                response = getattr(client, method)(url)
                changed = changed_tables(baseline, snapshot(tables))
                transaction.set_rollback(True)  # the next request starts from the same data, whatever happened
        except Exception as error:  # noqa: BLE001 - an error is a finding, not the end of the walk
            failures.append(f"{role}: {method.upper()} {url} raised {error!r}")
            continue
        if not refused(response):
            answer = f"{response.status_code} {response.get('Location', '')}".strip()
            failures.append(f"{role}: {method.upper()} {url} answered {answer}")
        if changed:
            failures.append(f"{role}: {method.upper()} {url} changed {', '.join(changed)}")
    return failures


# --- Uppsala's objects, and the people from elsewhere -------------------------------------------------------


@pytest.fixture
def uppsala(site, locale_en, django_capture_on_commit_callbacks):
    uppsala = CentreFactory(name="Region Uppsala", slug="uppsala")
    skane = CentreFactory(name="Skånes universitetssjukhus", slug="skane")
    owner_group = centre_team(uppsala, OWNER)
    centre_team(skane, OWNER)
    uppsala_owner = UserFactory(is_staff=True)
    owner_group.user_set.add(uppsala_owner)

    course = create_course(title=COURSE_TITLE, centres=[uppsala])
    occasion = OccasionFactory(course=course, capacity=5)
    enrolment = services.enrol(make_participant(email=PERSON_EMAIL), occasion.pk)
    now = timezone.now()
    today = OccasionFactory(
        course=course, capacity=5, start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=5)
    )
    today_enrolment = Enrolment.objects.create(
        user=make_participant(), occasion=today, status=Enrolment.Status.CONFIRMED
    )

    # Its English translation, made with wagtail-localize as a course owner would.
    source, _created = TranslationSource.get_or_create_from_instance(course)
    for segment in source.stringsegment_set.select_related("string"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale_en,
            context=segment.context,
            defaults={"data": "EN " + segment.string.data},
        )
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale_en)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    page_en = course.get_translation(locale_en)

    # A review workflow in progress on the course.
    workflow = Workflow.objects.create(name="Granskning")
    task = GroupApprovalTask.objects.create(name="Granska")
    task.groups.add(owner_group)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow_state = workflow.start(course, uppsala_owner)

    collection = centre_collection(uppsala)
    Document = get_document_model()  # noqa: N806 (the model, named as Wagtail names it)
    document = Document.objects.create(
        title="Uppsalas kompendium", file=ContentFile(b"%PDF-1.4", name="kompendium.pdf"), collection=collection
    )
    image = wagtail_factories.ImageFactory(title="Uppsalas bild", collection=collection)
    uploaded = {
        model: UploadedFile.objects.create(
            file=ContentFile(b"x", name="upload.pdf"),
            for_content_type=ContentType.objects.get_for_model(model),
            uploaded_by_user=uppsala_owner,
        )
        for model in (Document, type(image))
    }
    editing_session = EditingSession.objects.create(
        user=uppsala_owner,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(course.pk),
        last_seen_at=now,
    )
    overridable = source.overridablesegment_set.first()
    return {
        "centre": uppsala.pk,
        "courses.centre": uppsala.pk,
        "courses.topic": TopicFactory(name="Genterapi", slug="genterapi").pk,
        "courses.audience": AudienceFactory(name="Läkare", slug="lakare").pk,
        "page": course.pk,
        "page_en": page_en.pk,
        "centre_page": centre_page(uppsala).pk,
        "own_centre_page": centre_page(skane).pk,
        "revision": course.latest_revision_id,
        "workflow": workflow.pk,
        "task": task.pk,
        "workflow_state": workflow_state.pk,
        "task_state": workflow_state.current_task_state.pk,
        "collection": collection.pk,
        "document": document.pk,
        "image": image.pk,
        "uploaded_document": uploaded[Document].pk,
        "uploaded_image": uploaded[type(image)].pk,
        "editing_session": editing_session.pk,
        "translation_source": source.pk,
        "translation": translation.pk,
        "string_segment": source.stringsegment_set.first().pk,
        "overridable_segment": overridable.pk if overridable else 0,
        "redirect": Redirect.objects.create(old_path="/gammal-kurs", redirect_page=course).pk,
        "site_links": SiteLinks.load().pk,
        "courses.defaultevaluation": default_evaluation().pk,
        "site": Site.objects.get(is_default_site=True).pk,
        "locale": locale_en.pk,
        "user": uppsala_owner.pk,
        "group": owner_group.pk,
        "occasion": occasion.pk,
        "enrolment": enrolment.pk,
        "outbox_message": OutboxMessage.objects.filter(occasion=occasion).first().pk,
        "today": today.pk,
        "today_enrolment": today_enrolment.pk,
        "_centres": {"uppsala": uppsala, "skane": skane},
    }


@pytest.fixture
def outsiders(uppsala):
    def in_team(centre, role):
        user = UserFactory(is_staff=True)
        centre_team(centre, role).user_set.add(user)
        return user

    centres = uppsala["_centres"]
    return {
        "course owner, Skåne": in_team(centres["skane"], OWNER),
        "check-in helper, Skåne": in_team(centres["skane"], HELPER),
        "check-in helper, Uppsala": in_team(centres["uppsala"], HELPER),
    }


# Uppsala's check-in helpers mark attendance at Uppsala's occasions: that is their job, tested in
# tests/enrolment/test_permission_matrix.py.
HELPERS_OWN_WORK = {
    ("check-in helper, Uppsala", name) for name in ("checkin:occasion", "checkin:mark", "checkin:all_present")
}


def test_every_admin_url_with_an_id_has_an_object_to_try(uppsala):
    urls, unmapped = object_urls(uppsala)

    assert unmapped == [], "Map these in tests/test_admin_scope.py (IDS / KIND_VALUES) or exempt them with a reason"
    assert len(urls) > 100


def test_no_admin_url_opens_or_changes_another_centres_object(uppsala, outsiders):
    urls, _unmapped = object_urls(uppsala)

    failures = walk(outsiders, urls, allowed=HELPERS_OWN_WORK)

    assert not failures, "\n".join(failures)


# --- Bulk actions: the ids are in the query string ----------------------------------------------------------

BULK_KINDS = {
    "wagtailcore.page": PAGES,
    "wagtaildocs.document": ["document"],
    "courses.coursedocument": ["document"],
    "wagtailimages.image": ["image"],
    "accounts.user": ["user"],
    "courses.centre": ["courses.centre"],
    "courses.topic": ["courses.topic"],
    "courses.audience": ["courses.audience"],
    "courses.defaultevaluation": ["courses.defaultevaluation"],
}


def bulk_urls(objects):
    """(url, name) for every registered bulk action on one of Uppsala's objects; and the models not mapped."""
    urls, unmapped = [], []
    bulk_action_registry._scan_for_bulk_actions()  # filled on first use
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            kinds = BULK_KINDS.get(f"{app_label}.{model_name}")
            if kinds is None:
                unmapped.append(f"{app_label}.{model_name}")
                continue
            for action, kind in itertools.product(actions, kinds):
                url = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
                urls.append((f"{url}?id={objects[kind]}&next=/admin/", "wagtail_bulk_action"))
    return urls, unmapped


def test_no_bulk_action_touches_another_centres_object(uppsala, outsiders):
    urls, unmapped = bulk_urls(uppsala)

    assert unmapped == [], "Map these models in BULK_KINDS"
    assert len(urls) >= 10
    failures = walk(outsiders, urls)

    assert not failures, "\n".join(failures)


# --- Negative controls: the walker finds the holes when the scoping is taken away ---------------------------


def test_the_walker_reports_views_that_skip_the_admin_scope_gate(uppsala, outsiders, monkeypatch):
    from atmp import admin_scope

    monkeypatch.setattr(admin_scope, "check", lambda *args: None)
    gated = ("wagtail_localize:", "wagtailadmin_api")
    urls, _unmapped = object_urls(uppsala, names=lambda name: name.startswith(gated))

    failures = walk({"course owner, Skåne": outsiders["course owner, Skåne"]}, urls)

    submit = reverse("wagtail_localize:submit_page_translation", args=[uppsala["page"]])
    update = reverse("wagtail_localize:update_translations", args=[uppsala["translation_source"]])
    document = reverse("wagtailadmin_api:documents:detail", args=[uppsala["document"]])
    assert f"course owner, Skåne: GET {submit} answered 200" in failures
    assert f"course owner, Skåne: GET {update} answered 200" in failures
    assert f"course owner, Skåne: GET {document} answered 200" in failures


def test_the_walker_reports_participant_views_that_are_not_scoped_by_centre(uppsala, outsiders, monkeypatch):
    from courses.models import Occasion
    from enrolment import access

    monkeypatch.setattr(access, "occasions_for", lambda user, purpose=access.MANAGE: Occasion.objects.all())
    urls, _unmapped = object_urls(uppsala, names=lambda name: name.startswith(("enrolments:", "occasions:")))

    failures = walk({"course owner, Skåne": outsiders["course owner, Skåne"]}, urls)

    inspect = reverse("enrolments:inspect", args=[uppsala["enrolment"]])
    cancel = reverse("enrolments:act", args=[uppsala["enrolment"], "cancel"])
    assert f"course owner, Skåne: GET {inspect} answered 200" in failures
    assert any(line.startswith(f"course owner, Skåne: POST {cancel} changed") for line in failures)


# --- What Uppsala's own course owner still does --------------------------------------------------------------


@pytest.fixture
def owner_client(client, uppsala):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(pk=uppsala["user"]))
    return client


def test_a_course_owner_still_translates_explores_and_chooses_their_own_centres_pages(owner_client, uppsala):
    for url in [
        reverse("wagtail_localize:submit_page_translation", args=[uppsala["page"]]),
        reverse("wagtail_localize:update_translations", args=[uppsala["translation_source"]]),
        reverse("wagtailadmin_explore", args=[uppsala["centre_page"]]),
        reverse("wagtailadmin_pages:edit", args=[uppsala["page_en"]]),
        reverse("wagtailadmin_api:documents:detail", args=[uppsala["document"]]),
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"]) + f"?id={uppsala['page']}",
    ]:
        assert owner_client.get(url).status_code == 200, url


def test_the_participants_name_opens_the_inspect_view_with_answers_and_local_times(owner_client, uppsala):
    from courses.models import Occasion

    start = dt.datetime(2030, 1, 15, 8, 0, tzinfo=dt.UTC)
    Occasion.objects.filter(pk=uppsala["occasion"]).update(start=start, end=start + dt.timedelta(hours=7))
    enrolment = Enrolment.objects.get(pk=uppsala["enrolment"])
    enrolment.answers = {"q1": {"question": "Vilken avdelning arbetar du på?", "answer": "Hematologen"}}
    enrolment.save()

    listing = owner_client.get(reverse("enrolments:index")).content.decode()
    inspect_url = reverse("enrolments:inspect", args=[enrolment.pk])
    page = owner_client.get(inspect_url).content.decode()

    assert f'href="{inspect_url}"' in listing
    assert "/admin/enrolments/edit/" not in listing and "/admin/enrolments/delete/" not in listing
    assert "Vilken avdelning arbetar du på?: Hematologen" in page
    assert "2030-01-15 09:00" in page  # 08.00 UTC is 09.00 in Stockholm
