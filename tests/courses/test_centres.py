"""Each centre's pages, collection and groups: course owners edit their own centre's courses and documents only."""

import pytest
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupPagePermission
from wagtail.permissions import policy_registry

from accounts.factories import UserFactory
from courses.centres import centre_team, ensure_all_centres, ensure_centre, network_admins
from courses.factories import CentreFactory, create_course, translate_course, translate_snippet
from courses.models import CentrePage, CentreTeam

pytestmark = pytest.mark.django_db
document_policy = policy_registry.get_by_type(get_document_model())
OWNER, HELPER = CentreTeam.Role.COURSE_OWNER, CentreTeam.Role.CHECK_IN_HELPER


@pytest.fixture
def centres(site):
    skane = CentreFactory(name="Skånes universitetssjukhus", slug="skane")
    translate_snippet(skane, "en", name="Skåne University Hospital")
    uppsala = CentreFactory(name="Region Uppsala", slug="uppsala")
    return skane, uppsala


def member(centre, role=OWNER):
    user = UserFactory(is_staff=True)
    centre_team(centre, role).user_set.add(user)
    return user


def test_setting_up_a_centre_is_idempotent(centres):
    skane, _uppsala = centres
    ensure_centre(skane)
    counts = (CentrePage.objects.count(), Group.objects.count(), GroupPagePermission.objects.count())

    ensure_centre(skane)
    ensure_all_centres()
    ensure_all_centres()

    pages = CentrePage.objects.filter(centre=skane)
    assert {page.locale.language_code: page.title for page in pages} == {
        "sv": "Skånes universitetssjukhus",
        "en": "Skåne University Hospital",
    }
    assert len({page.translation_key for page in pages}) == 1
    skane.refresh_from_db()
    assert skane.collection is not None
    assert CentrePage.objects.count() == counts[0] + 2  # Uppsala's pages, made by ensure_all_centres
    ensure_all_centres()
    assert Group.objects.count() == Group.objects.distinct().count()
    assert CentreTeam.objects.filter(centre=skane).count() == 2


def test_a_course_owner_edits_and_publishes_only_their_centres_courses(centres):
    skane, uppsala = centres
    own = create_course(title="Genterapi", centres=[skane])
    own_english = translate_course(own, "en", title="Gene therapy")
    other = create_course(title="GMP", centres=[uppsala])
    network_wide = create_course(title="Nätverkets kurs", centres=[])
    owner = member(skane)

    assert own.permissions_for_user(owner).can_edit()
    assert own.permissions_for_user(owner).can_publish()
    assert own_english.permissions_for_user(owner).can_edit()
    assert not other.permissions_for_user(owner).can_edit()
    assert not network_wide.permissions_for_user(owner).can_edit()
    assert (
        CentrePage.objects.get(centre=skane, locale__language_code="sv").permissions_for_user(owner).can_add_subpage()
    )


def test_a_check_in_helper_cannot_edit_pages(centres):
    skane, _uppsala = centres
    course = create_course(title="Genterapi", centres=[skane])
    helper = member(skane, HELPER)

    assert not course.permissions_for_user(helper).can_edit()
    assert helper.has_perm("wagtailadmin.access_admin")


def test_course_owners_manage_documents_in_their_centres_collection_only(centres):
    skane, uppsala = centres
    ensure_centre(skane)
    ensure_centre(uppsala)
    skane.refresh_from_db()
    uppsala.refresh_from_db()
    Document = get_document_model()
    own = Document.objects.create(title="Program", collection=skane.collection)
    theirs = Document.objects.create(title="Schema", collection=uppsala.collection)
    root = Document.objects.create(title="Rot", collection=Collection.get_first_root_node())
    owner = member(skane)

    assert document_policy.user_has_permission_for_instance(owner, "change", own)
    assert not document_policy.user_has_permission_for_instance(owner, "change", theirs)
    assert not document_policy.user_has_permission_for_instance(owner, "change", root)
    assert list(document_policy.collections_user_has_permission_for(owner, "add")) == [skane.collection]


def test_network_admins_edit_every_course_and_document(centres):
    skane, uppsala = centres
    course = create_course(title="GMP", centres=[uppsala])
    ensure_centre(skane)
    skane.refresh_from_db()
    document = get_document_model().objects.create(title="Program", collection=skane.collection)
    admin = UserFactory(is_staff=True)
    network_admins().user_set.add(admin)

    assert course.permissions_for_user(admin).can_edit()
    assert document_policy.user_has_permission_for_instance(admin, "change", document)
    assert admin.has_perm("enrolment.manage_all_enrolments")


def test_the_owning_centre_is_always_among_the_organising_centres(centres, client):
    skane, uppsala = centres
    course = create_course(title="Samarbete", centres=[skane, uppsala])
    owner = member(skane)
    client.force_login(owner)

    # The owner unticks their own centre: it stays, since the course sits under Skåne's page.
    from courses.models import CoursePage

    form_class = CoursePage.get_edit_handler().get_form_class()
    data = {"title": course.title, "slug": course.slug, "summary": course.summary, "centres": [uppsala.pk]}
    data |= {"body-count": "0", "enrolment_questions-count": "0", "evaluation_questions-count": "0"}
    data |= {"format": course.format, "offer_hours": "48"}
    data |= {"language_of_instruction": "sv", "waiting_list_mode": "automatic", "organiser_notices": "none"}
    for formset in ("occasions", "materials"):
        data |= {f"{formset}-TOTAL_FORMS": "0", f"{formset}-INITIAL_FORMS": "0", f"{formset}-MAX_NUM_FORMS": "1000"}
    form = form_class(instance=course, parent_page=course.get_parent(), for_user=owner, data=data)
    form.is_valid()
    assert set(form.cleaned_data["centres"]) == {skane, uppsala}


def test_a_new_course_under_a_centres_page_starts_with_that_centre_ticked(centres):
    from courses.models import CoursePage

    skane, _uppsala = centres
    parent = ensure_centre(skane)["sv"]
    form_class = CoursePage.get_edit_handler().get_form_class()

    form = form_class(instance=CoursePage(), parent_page=parent, for_user=member(skane))

    assert form.initial["centres"] == [skane.pk]


def test_course_owners_may_translate_even_when_the_permission_was_lost(centres):
    # wagtail-localize makes "submit translations" in a migration; a database flushed after migrating lacks it.
    from django.contrib.auth.models import Permission

    skane, _uppsala = centres
    Permission.objects.filter(codename="submit_translation").delete()
    Group.objects.all().delete()  # the teams are made again, as on a fresh database

    owner = member(skane)

    assert owner.has_perm("wagtail_localize.submit_translation")
