"""Enrolment rules: enrol, wait, be offered or promoted, cancel, approve, reject.

Every operation that can change who holds a seat runs in one transaction that first locks the occasion
row (`SELECT ... FOR UPDATE` on PostgreSQL, the database write lock that SQLite's IMMEDIATE transactions
take), then counts and writes. That serialises all seat decisions for an occasion, as pretix does with
quotas, so seats taken never exceed capacity whatever the concurrency. Each change writes an audit entry
(Wagtail's log) and an `EnrolmentEvent` for the notification pipeline in the same transaction.
"""

import datetime as dt
import functools
import secrets
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.fields import StreamField
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import Locale, ModelLogEntry, Page

from courses import formatting
from courses.blocks import answer_max_length
from courses.models import CoursePage, Occasion, WaitingListMode, profession_among

from . import invoicing, notifications, prepared
from .models import Enrolment, EnrolmentEvent, ManagerApproval
from .rows import AT_ONCE, Drawn, Rows, begin_in_statement, make

Status = Enrolment.Status
Kind = EnrolmentEvent.Kind


class EnrolmentError(Exception):
    """A rule stopped the operation; `message` is translatable and safe to show to the person."""

    def __init__(self, message, code="invalid", enrolment=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.enrolment = enrolment


# --- Helpers ------------------------------------------------------------------------------------------


def lock_occasion(occasion_id):
    """The occasion, locked for the rest of the transaction (the seat decision point)."""
    try:
        return Occasion.objects.select_for_update().get(pk=occasion_id)
    except Occasion.DoesNotExist:
        raise EnrolmentError(_("This occasion does not exist."), code="not_found") from None


def course_of(occasion) -> CoursePage:
    course = CoursePage.objects.get(pk=occasion.course_id)
    # Audit labels read str(occasion), which reads occasion.course: hand it this row instead of a second query.
    Occasion.course.field.set_cached_value(occasion, course)
    return course


def seats_taken(occasion):
    return Enrolment.objects.filter(occasion=occasion).holding_seats().count()


def _emit(kind, occasion_id, enrolment=None, *, rows=AT_ONCE, **data):
    """An event and the messages it causes, in the caller's transaction (sent after commit)."""
    event = rows.create(EnrolmentEvent, kind=kind, occasion_id=occasion_id, enrolment=enrolment, data=data)
    notifications.queue_for_event(event, rows=rows)
    return event


def _audit(enrolment, action, user, data, *, rows=AT_ONCE):
    """Wagtail's audit entry for an enrolment, as `log()` writes it but without its full_clean(), which
    re-reads the content type and the user (two queries) while the seat lock is held. `clean()` still
    refuses an unregistered action."""
    context = get_active_log_context()
    fields = {
        "content_type": ContentType.objects.get_for_model(Enrolment),  # cached after the first call
        "object_id": str(enrolment.pk),
        "label": str(enrolment),
        "action": action,
        "user": user or context.user,
        "uuid": context.uuid,
        "data": data,
        "timestamp": timezone.now(),
    }
    entry = make(ModelLogEntry, fields)
    entry.clean()
    rows.add(entry)


def _record(enrolment, kind, action, user=None, *, rows=AT_ONCE, **data):
    """Audit entry, event and messages for one state change, in the caller's transaction."""
    _audit(enrolment, f"enrolment.{action}", user, {"status": enrolment.status, **data}, rows=rows)
    _emit(kind, enrolment.occasion_id, enrolment, rows=rows, **data)


def _set_status(enrolment, status, **fields):
    enrolment.status = status
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.save(update_fields=["status", "updated_at", *fields])


def verified_addresses(user):
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)


def is_email_verified(user):
    return verified_addresses(user).exists()


def check_eligibility(user, course):
    """None when the person may enrol in the course, otherwise the reason (translatable)."""
    eligible = getattr(course, "eligible_profession_list", None)  # when the caller knows them already
    if eligible is None:
        eligible = list(course.eligible_professions.all())
    if not eligible:
        return None
    if not user.profession:
        return _("This course is open to certain professions only; add your profession to your profile.")
    if not profession_among(user.profession, eligible):
        return _("This course is open to these professions only: %(professions)s.") % {
            "professions": ", ".join(profession.name for profession in eligible)
        }
    return None


def clean_answers(course, answers):
    """Validate answers against the course's questions; returns {question id: {question, answer}}."""
    answers = answers or {}
    cleaned, errors = {}, {}
    for block in course.enrolment_questions:
        question = block.value
        raw = answers.get(block.id)
        value = raw.strip() if isinstance(raw, str) else ("" if raw is None else raw)
        if question["kind"] == "multiple_choice":
            # The options ticked, kept in the organiser's order; a single string (one tick) is accepted too.
            ticked = [value] if isinstance(value, str) else value
            if not isinstance(ticked, list | tuple) or not all(isinstance(item, str) for item in ticked):
                errors[block.id] = _("Choose among the options.")
                continue
            picked = {item.strip() for item in ticked} - {""}
            options = list(question["choices"])
            if not picked <= set(options):
                errors[block.id] = _("Choose among the options.")
                continue
            value = [option for option in options if option in picked]
        elif not isinstance(value, str):
            errors[block.id] = _("Give one answer.")
            continue
        if question["kind"] == "choice" and value and value not in list(question["choices"]):
            errors[block.id] = _("Choose one of the options.")
            continue
        if question["kind"] == "yes_no" and value not in ("", "yes", "no"):
            errors[block.id] = _("Answer yes or no.")
            continue
        limit = answer_max_length(question["kind"])
        if isinstance(value, str) and len(value) > limit:
            errors[block.id] = _("The answer is too long (at most %(limit)s characters).") % {"limit": limit}
            continue
        if question["required"] and not value:
            errors[block.id] = _("This question needs an answer.")
            continue
        if value:
            cleaned[block.id] = {"question": question["label"], "answer": value}
    if errors:
        error = EnrolmentError(_("Some answers need attention."), code="answers")
        error.field_errors = errors
        raise error
    return cleaned


def _check_person(user, course, email_verified=None):
    """What does not depend on seats: checked before taking the lock, so the lock is held briefly."""
    if not user.is_authenticated:
        raise EnrolmentError(_("Log in to enrol."), code="login")
    if not (is_email_verified(user) if email_verified is None else email_verified):
        raise EnrolmentError(_("Verify your e-mail address before you enrol."), code="unverified")
    if not user.profile_is_complete:
        raise EnrolmentError(_("Complete your profile before you enrol."), code="profile")
    if not course.live:
        raise EnrolmentError(_("This course is not published."), code="not_found")
    if reason := check_eligibility(user, course):
        raise EnrolmentError(reason, code="ineligible")


def _check_occasion(occasion, now):
    """The occasion's own state, read under the lock (an organiser may cancel it at any moment)."""
    if occasion.is_cancelled:
        raise EnrolmentError(_("This occasion has been cancelled."), code="cancelled")
    if occasion.enrolment_opens and now < occasion.enrolment_opens:
        raise EnrolmentError(_("Enrolment has not opened yet."), code="not_open")
    if now >= occasion.closes_at:
        raise EnrolmentError(_("Enrolment for this occasion has closed."), code="closed")


def _seat_state_sql():
    table = connection.ops.quote_name(Enrolment._meta.db_table)

    def statuses(values):
        # The code's own constants, never input: written in so that the statement prepared once per connection
        # (enrolment.prepared) gets a generic plan that knows which rows each part reads and can use the partial
        # index of active enrolments. As parameters, PostgreSQL planned it anew on every enrolment (0.3 ms, six
        # times what running it took), the generic plan never looking cheaper than a custom one.
        if not all(str(value).isidentifier() for value in values):
            raise ValueError(f"not a status: {values}")
        return ", ".join(f"'{value}'" for value in values)

    # Only the model's own table name and statuses are formatted in; the occasion and the person are parameters.
    return (
        f"SELECT (SELECT COUNT(*) FROM {table} WHERE occasion_id = %s AND status IN ({statuses(Enrolment.SEAT_STATUSES)})),"  # noqa: S608, E501
        f" EXISTS (SELECT 1 FROM {table} WHERE occasion_id = %s AND status = {statuses([Status.WAITING])}),"
        f" (SELECT MAX(id) FROM {table} WHERE occasion_id = %s AND user_id = %s"
        f" AND status IN ({statuses(Enrolment.ACTIVE_STATUSES)}))"
    )


SEAT_STATE_SQL = _seat_state_sql()


def _seat_state_params(occasion_id, user):
    return [occasion_id, occasion_id, occasion_id, user.pk]


def seat_state(occasion, user):
    """(seats taken, anyone waiting, the person's active enrolment id) in one statement.

    Read under the occasion lock on every enrolment, so written once rather than compiled by the ORM each
    time, and each part reads only its own rows through an index (the seats held, one waiting row, the
    person's active row): the cost does not grow with the waiting list, as an aggregate over all of the
    occasion's enrolments did.
    """
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql("atmp_seat_state", SEAT_STATE_SQL), _seat_state_params(occasion.pk, user))
        taken, waiting, mine = cursor.fetchone()
    return taken, bool(waiting), mine


@functools.cache
def _draw_ids_sql(models):
    """`SELECT nextval(...), ...` for a tuple of models, written once per process (it is asked for on every enrolment,
    for the lock's round trip and for preparing it)."""
    # Only the models' own table and column names are formatted in.
    sequences = [f"pg_get_serial_sequence('{model._meta.db_table}', '{model._meta.pk.column}')" for model in models]
    return "SELECT " + ", ".join(f"nextval({sequence})" for sequence in sequences)


# The rows an enrolment draws ids for (see enrol()); their draw is prepared with the reads (_prepared_reads).
ENROLMENT_ROWS = (Enrolment, EnrolmentEvent)


def lock_with_seat_state(occasion_id, user, new_ids=()):
    """The occasion, locked (as `lock_occasion`), then its seat state for `user` (as `seat_state`) and primary keys
    for a new row of each model in `new_ids`: (occasion, seat state, {model: [id]}, or None where none are drawn).

    On PostgreSQL all go in one round trip, so the seat lock is held for one round trip less: a simple query may
    carry several statements, and each takes its own snapshot when it starts, so the count sees every enrolment
    committed before the lock was granted, exactly as a statement sent afterwards would. The ids are drawn under the
    lock, so enrolments' ids keep the order in which they got the seat lock (the waiting list's order).
    """
    # Client-side binding (Django's default with psycopg 3) sends a simple query; server-side binding could not.
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("server_side_binding"):
        occasion = lock_occasion(occasion_id)
        return occasion, seat_state(occasion, user), None
    sql, names = _locking_sql(connection.alias)
    statements = [prepared.sql("atmp_lock_occasion", sql), prepared.sql("atmp_seat_state", SEAT_STATE_SQL)]
    if new_ids:
        draw = _draw_ids_sql(new_ids)
        statements.append(prepared.sql("atmp_draw_ids", draw) if new_ids == ENROLMENT_ROWS else draw)
    # The transaction's BEGIN goes in this round trip too, and its COMMIT with the rows written at the end
    # (enrolment.rows): only when those rows are drawn for, since they carry the COMMIT.
    begun = bool(new_ids) and begin_in_statement()
    with connection.cursor() as cursor:
        cursor.execute("; ".join(["BEGIN"] * begun + statements), [occasion_id, *_seat_state_params(occasion_id, user)])
        if begun:
            cursor.nextset()
        row = cursor.fetchone()
        cursor.nextset()
        taken, waiting, mine = cursor.fetchone()
        ids = None
        if new_ids:
            cursor.nextset()
            ids = Drawn({model: [drawn] for model, drawn in zip(new_ids, cursor.fetchone(), strict=True)}, begun)
    if row is None:
        raise EnrolmentError(_("This occasion does not exist."), code="not_found")
    return Occasion.from_db(connection.alias, names, row), (taken, bool(waiting), mine), ids


@functools.cache
def _locking_sql(alias):
    """`SELECT ... FOR UPDATE` of one occasion (its id the one parameter) and its columns, compiled once per process."""
    # The ORM compiles FOR UPDATE only in a transaction; outside one this opens none (nothing is sent).
    with transaction.atomic(using=alias, savepoint=False):
        compiler = Occasion.objects.select_for_update().filter(pk=0).order_by().query.get_compiler(using=alias)
        sql, _params = compiler.as_sql()
    return sql, [column.target.attname for column, _sql, _alias in compiler.select]


# The course page's fields an enrolment reads (the form's questions, the rules, the fee, the audit label and the
# organiser's notice); tests/enrolment/test_views.py counts the queries, so a field missing here shows there.
ENROLLING_READS = (
    "title",
    "live",
    "translation_key",
    "locale",
    "content_type",
    "enrolment_questions",
    "requires_approval",
    "requires_manager_approval",
    "manager_days",
    "fee",
    "fee_vat",
    "organiser_notices",
    "contact_email",
)


@functools.cache
def _occasion_to_enrol_sql(alias):
    """The statement and, per model, (fields, converters) of `occasion_to_enrol`: built once per process."""
    db = connections[alias]
    quote = db.ops.quote_name
    # In the models' own order of fields: Model.from_db() reads a partial row in that order.
    wanted = {"id", "page_ptr", *ENROLLING_READS}
    course_fields = [field for field in CoursePage._meta.concrete_fields if field.name in wanted]
    models = [
        (Occasion, Occasion._meta.concrete_fields),
        (CoursePage, course_fields),
        (Locale, Locale._meta.concrete_fields),
    ]
    columns, readers = [], []
    for model, fields in models:
        converters = []
        for field in fields:
            column = field.get_col(field.model._meta.db_table)
            columns.append(f"{quote(field.model._meta.db_table)}.{quote(field.column)}")
            field_converters = db.ops.get_db_converters(column) + column.get_db_converters(db)
            if isinstance(field, StreamField):
                field_converters = [functools.partial(_stream_from_db, field, field.json_field)]
            converters.append((field_converters, column))
        readers.append((model, [field.attname for field in fields], converters))
    occasion, course_table, page, locale = (
        quote(Occasion._meta.db_table),
        quote(CoursePage._meta.db_table),
        quote(Page._meta.db_table),
        quote(Locale._meta.db_table),
    )
    rules, addresses, users = (
        quote(CoursePage.eligible_professions.through._meta.db_table),
        quote(EmailAddress._meta.db_table),
        quote(get_user_model()._meta.db_table),
    )
    # Only the models' own table and column names are formatted in; every value is a parameter.
    sql = (
        f"SELECT {', '.join(columns)},"  # noqa: S608
        f" EXISTS (SELECT 1 FROM {rules} WHERE {rules}.coursepage_id = {occasion}.course_id),"
        f" EXISTS (SELECT 1 FROM {addresses} JOIN {users} ON {users}.id = {addresses}.user_id"
        f" WHERE {addresses}.user_id = %s AND UPPER({addresses}.email) = UPPER({users}.email)"
        f" AND {addresses}.verified = %s)"
        f" FROM {occasion} JOIN {course_table} ON {course_table}.page_ptr_id = {occasion}.course_id"
        f" JOIN {page} ON {page}.id = {course_table}.page_ptr_id JOIN {locale} ON {locale}.id = {page}.locale_id"
        f" WHERE {occasion}.id = %s"
    )
    return sql, readers


def _stream_from_db(field, json_field, value, expression, connection):
    """StreamField.from_db_value() with one JSONField made once: Wagtail's `json_field` is a property that makes a new
    one (a model field, with its choices and validators) on every read, a fiftieth of an enrolment's CPU."""
    return field.to_python(json_field.from_db_value(value, expression, connection))


def occasion_to_enrol(occasion_id, user):
    """The occasion with its course (only the fields enrolling reads, ENROLLING_READS) and the course's locale, and
    `restricted` (the course is open to some professions only) and `email_verified` (the person's address): what
    enrolling needs before the seat lock, in one query. None when there is no such occasion.

    Written once per process rather than compiled by the ORM on each enrolment: that compilation (a join of three
    models and two subqueries) was a quarter of the CPU an enrolment took in the rush.
    """
    sql, readers = _prepared_reads()
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql("atmp_occasion_to_enrol", sql), [user.pk, True, occasion_id])
        row = cursor.fetchone()
    return _occasion_to_enrol_from(row, readers)


def _prepared_reads():
    """occasion_to_enrol's statement and readers. The first thing an enrolment reads, outside its transaction: where
    this connection prepares the statements it reads with (enrolment.prepared), the person's row among them."""
    sql, readers = _occasion_to_enrol_sql(connection.alias)
    prepared.prepare(
        {
            "atmp_occasion_to_enrol": sql,
            "atmp_seat_state": SEAT_STATE_SQL,
            "atmp_user_by_pk": get_user_model().objects.by_pk_sql(),
            # The seat transaction's own statements: planned once too (their planning was a fifth of PostgreSQL's
            # time for an enrolment), still sent in the lock's one round trip.
            "atmp_lock_occasion": _locking_sql(connection.alias)[0],
            "atmp_draw_ids": _draw_ids_sql(ENROLMENT_ROWS),
        }
    )
    return sql, readers


def reads_together():
    """Whether occasion_and_person_to_enrol() can read its rows in one round trip (several statements)."""
    return prepared.usable()


def occasion_and_person_to_enrol(occasion_id, user_id):
    """As occasion_to_enrol(), and the person's user row as auth reads it (User.objects.by_pk_sql), in the same
    round trip, for a request whose user is not loaded yet: (occasion or None, user or None). PostgreSQL only
    (reads_together())."""
    users = get_user_model().objects
    sql, readers = _prepared_reads()
    person_sql = prepared.sql("atmp_user_by_pk", users.by_pk_sql())
    with connection.cursor() as cursor:
        cursor.execute(
            f"{person_sql}; {prepared.sql('atmp_occasion_to_enrol', sql)}", [user_id, user_id, True, occasion_id]
        )
        person = cursor.fetchone()
        cursor.nextset()
        row = cursor.fetchone()
    return _occasion_to_enrol_from(row, readers), users.from_row(person) if person is not None else None


def _occasion_to_enrol_from(row, readers):
    if row is None:
        return None
    instances, start = [], 0
    for model, names, converters in readers:
        values = list(row[start : start + len(names)])
        for index, (field_converters, column) in enumerate(converters):
            for convert in field_converters:  # as the ORM's compiler does: JSON, decimals, SQLite's dates
                values[index] = convert(values[index], column, connection)
        instances.append(model.from_db(connection.alias, names, values))
        start += len(names)
    occasion, course, locale = instances
    CoursePage.locale.field.set_cached_value(course, locale)
    Occasion.course.field.set_cached_value(occasion, course)
    occasion.restricted, occasion.email_verified = bool(row[-2]), bool(row[-1])
    return occasion


# --- The line manager's approval: naming the manager and holding the seat (answers: enrolment/manager.py) ---


def clean_manager(user, course, details):
    """The line manager a course that needs one asks for: {"name", "email"}, or None when the course does not."""
    if not course.requires_manager_approval:
        return None
    details = details if isinstance(details, dict) else {}
    name = " ".join(str(details.get("name") or "").split())[:200]
    email = str(details.get("email") or "").strip()
    if not name or not email:
        raise EnrolmentError(_("Give your line manager's name and e-mail address."), code="manager")
    try:
        validate_email(email)
    except ValidationError:
        raise EnrolmentError(_("Give your line manager's e-mail address in full."), code="manager") from None
    if email.lower() == (user.email or "").lower():
        # Nobody approves their own time away from the ward.
        raise EnrolmentError(_("Give your line manager's address, not your own."), code="manager")
    return {"name": name, "email": email}


def _approval_of(enrolment):
    try:
        return enrolment.manager_approval
    except ManagerApproval.DoesNotExist:
        return None


def _name_manager(enrolment, occasion, course, details, now):
    """Record whom the person named (and remember it on their profile); ask at once if they have a seat."""
    ManagerApproval.objects.create(
        enrolment=enrolment, manager_name=details["name"], manager_email=details["email"], nonce=secrets.token_hex(16)
    )
    user = enrolment.user
    if (user.manager_name, user.manager_email) != (details["name"], details["email"]):
        user.manager_name, user.manager_email = details["name"], details["email"]
        get_user_model().objects.filter(pk=user.pk).update(
            manager_name=user.manager_name, manager_email=user.manager_email
        )
    if enrolment.status == Status.AWAITING_MANAGER:
        _hold_for_manager(enrolment, occasion, course, now)


def _hold_for_manager(enrolment, occasion, course, now):
    """The seat is held for the course's number of days (never past the start) and the manager is asked."""
    approval = enrolment.manager_approval
    approval.requested_at = now
    approval.deadline = min(now + dt.timedelta(days=course.manager_days), occasion.start)
    approval.requests_sent += 1
    approval.reminded_at = None
    approval.save(update_fields=["requested_at", "deadline", "requests_sent", "reminded_at"])
    notifications.queue_manager_message(Kind.MANAGER_REQUEST, approval, enrolment)
    return approval


# --- Operations ---------------------------------------------------------------------------------------


def _invoice_error(errors):
    error = EnrolmentError(_("Some invoice details need attention."), code="invoice")
    error.invoice_errors = errors
    return error


def enrol(
    user,
    occasion_id,
    answers=None,
    *,
    page=None,
    course=None,
    now=None,
    email_verified=None,
    invoice=None,
    manager=None,
):
    """Enrol a person: confirmed, pending approval, awaiting the line manager or waiting, decided under the
    occasion lock.

    `page` is the language version of the course the person enrolled through: its questions (in that
    language) are the ones answered. The rules come from the course itself; a caller that already has the
    occasion's course passes it as `course` (checked against the locked occasion) to save a query, and one that
    has read whether the person's address is verified (verified_addresses) passes `email_verified`. A course
    that needs the line manager's approval takes `manager` ({"name", "email"}), remembered on the profile.

    `invoice` holds the invoice details (enrolment.invoicing.INVOICE_FIELDS) a course with a fee asks for; they
    and the fee are kept on the enrolment as they are now (a snapshot), and become the person's profile defaults.
    """
    now = now or timezone.now()
    if course is None:
        course_id = Occasion.objects.filter(pk=occasion_id).values_list("course_id", flat=True).first()
        if course_id is None:
            raise EnrolmentError(_("This occasion does not exist."), code="not_found")
        course = page if page is not None and page.pk == course_id else CoursePage.objects.get(pk=course_id)
    if page is None or page.translation_key != course.translation_key:
        page = course
    _check_person(user, page, email_verified)
    cleaned = clean_answers(page, answers)
    invoice_details, invoice_errors = invoicing.clean_invoice_details(invoice) if invoice is not None else ({}, {})
    manager_details = clean_manager(user, course, manager)
    try:
        with transaction.atomic():
            # The enrolment and its event are pointed at by the rows written with them: their ids are drawn with the
            # lock, and all the rows go in one round trip at the end (enrolment.rows). Naming a line manager writes
            # more rows than that, one at a time (a course with a manager's approval is not a rush).
            drawn = () if manager_details else ENROLMENT_ROWS
            occasion, (taken, anyone_waiting, existing_id), ids = lock_with_seat_state(occasion_id, user, drawn)
            rows = Rows(ids)
            if occasion.course_id != course.pk:
                raise EnrolmentError(_("This occasion does not exist."), code="not_found")
            Occasion.course.field.set_cached_value(occasion, course)
            _check_occasion(occasion, now)
            if existing_id:
                raise EnrolmentError(
                    _("You are already enrolled in this occasion."),
                    code="already_enrolled",
                    enrolment=Enrolment.objects.get(pk=existing_id),
                )
            has_seat = occasion.capacity is None or (taken < occasion.capacity and not anyone_waiting)
            if not has_seat:
                status, kind = Status.WAITING, Kind.WAITLISTED
            elif manager_details:
                status, kind = Status.AWAITING_MANAGER, Kind.AWAITING_MANAGER
            elif course.requires_approval:
                status, kind = Status.PENDING, Kind.PENDING
            else:
                status, kind = Status.CONFIRMED, Kind.CONFIRMED
            fee, vat = occasion.fee_for(course)
            if fee is not None and (invoice is None or invoice_errors):
                # The fee is read under the lock: a course that got one since the form was shown asks again.
                raise _invoice_error(invoice_errors or invoicing.clean_invoice_details({})[1])
            paid = {"fee": fee, "fee_vat": vat, **invoice_details} if fee is not None else {}
            enrolment = rows.create(Enrolment, user=user, occasion=occasion, status=status, answers=cleaned, **paid)
            if manager_details:
                _name_manager(enrolment, occasion, course, manager_details, now)
            _record(enrolment, kind, "create", user=user, rows=rows)
            rows.write()
            if paid:
                # The profile's defaults for next time: after commit, not under the seat lock.
                transaction.on_commit(lambda: _remember_invoice_details(user, invoice_details))
            if not occasion.announced:
                # Never published since it was made (demo data, imports, rows older than `announced`): the time
                # and place this person is told now are the announced ones, so the next change is announced too.
                # After commit, outside the seat lock (and without taking the occasion's row lock in it).
                fingerprint = occasion.logistics_fingerprint
                transaction.on_commit(
                    lambda: Occasion.objects.filter(pk=occasion_id, announced="").update(announced=fingerprint)
                )
            return enrolment
    except IntegrityError:
        # The partial unique index caught a second active enrolment (two tabs, a double click).
        existing = Enrolment.objects.filter(user=user, occasion_id=occasion_id).active().first()
        raise EnrolmentError(
            _("You are already enrolled in this occasion."), code="already_enrolled", enrolment=existing
        ) from None


def _remember_invoice_details(user, details):
    """The invoice details last given become the person's defaults for the next course with a fee."""
    changed = {name: value for name, value in details.items() if getattr(user, name, None) != value}
    if changed:
        user._meta.model.objects.filter(pk=user.pk).update(**changed)
        for name, value in changed.items():
            setattr(user, name, value)


def fill_free_seats(occasion, course=None, *, now=None, user=None):
    """Give free seats to the waiting list, first come first served. The occasion must be locked."""
    now = now or timezone.now()
    if occasion.is_cancelled or now >= occasion.start:
        return []
    course = course or course_of(occasion)
    waiting = Enrolment.objects.filter(occasion=occasion).waiting_in_line().select_related("user", "manager_approval")
    if occasion.capacity is not None:
        free = occasion.capacity - seats_taken(occasion)
        if free <= 0:
            return []
        waiting = waiting[:free]
    moved = []
    for enrolment in waiting:
        if course.waiting_list_mode == WaitingListMode.OFFER:
            expires = min(now + dt.timedelta(hours=course.offer_hours), occasion.start)
            _set_status(enrolment, Status.OFFERED, offer_expires_at=expires)
            _record(enrolment, Kind.OFFERED, "offer", user=user, expires=expires.isoformat())
        elif course.requires_manager_approval and _approval_of(enrolment) is not None:
            _set_status(enrolment, Status.AWAITING_MANAGER)
            _hold_for_manager(enrolment, occasion, course, now)
            _record(enrolment, Kind.AWAITING_MANAGER, "promote", user=user, promoted=True)
        else:
            status = Status.PENDING if course.requires_approval else Status.CONFIRMED
            _set_status(enrolment, status)
            _record(enrolment, Kind.PROMOTED, "promote", user=user)
        moved.append(enrolment)
    return moved


def _locked_enrolment(enrolment_id):
    """Lock the enrolment's occasion first (always the same order: occasion, then enrolment)."""
    occasion_id = Enrolment.objects.filter(pk=enrolment_id).values_list("occasion_id", flat=True).first()
    if occasion_id is None:
        raise EnrolmentError(_("This enrolment does not exist."), code="not_found")
    occasion = lock_occasion(occasion_id)
    return Enrolment.objects.select_related("user").get(pk=enrolment_id), occasion


def cancel(enrolment_id, by, *, as_organiser=False, reason="", now=None):
    """Cancel an enrolment; a participant only before the deadline. Frees the seat for the next in line."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, occasion = _locked_enrolment(enrolment_id)
        if not as_organiser and enrolment.user_id != by.pk:
            raise EnrolmentError(_("This enrolment does not exist."), code="not_found")
        if not enrolment.is_active:
            raise EnrolmentError(
                _("This enrolment is no longer active (%(status)s).") % {"status": enrolment.get_status_display()},
                code="not_active",
                enrolment=enrolment,
            )
        leaving_waiting_list = enrolment.status == Status.WAITING
        enrolment.occasion = occasion
        late = not as_organiser and not leaving_waiting_list and now >= occasion.cancellation_deadline_at
        if late and not invoicing.late_cancellation_allowed(enrolment, now):
            raise EnrolmentError(
                _("The cancellation deadline has passed. Contact the course organiser."),
                code="deadline",
                enrolment=enrolment,
            )
        # A paid seat given up after the deadline is still invoiced (the person was told before confirming).
        fee_stands = {"fee_stands": True} if late and invoicing.fee_stands_if_cancelled(enrolment, now) else {}
        _set_status(enrolment, Status.CANCELLED, message=reason, **fee_stands)
        _record(enrolment, Kind.CANCELLED, "cancel", user=by, by_organiser=as_organiser, **fee_stands)
        fill_free_seats(occasion, now=now, user=by)
        return enrolment


def cancellation_consequence(enrolment):
    """What cancelling does, for the person to read before they confirm: (kind, people waiting).

    kind is "leave_waiting_list", "seat_to_waiting_list" (someone in line gets the seat) or "seat_freed".
    """
    if enrolment.status == Status.WAITING:
        return "leave_waiting_list", 0
    waiting = Enrolment.objects.filter(occasion_id=enrolment.occasion_id).waiting_in_line().count()
    return ("seat_to_waiting_list" if waiting else "seat_freed"), waiting


def accept_offer(enrolment_id, by, *, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, occasion = _locked_enrolment(enrolment_id)
        if enrolment.user_id != by.pk:
            raise EnrolmentError(_("This enrolment does not exist."), code="not_found")
        if enrolment.status != Status.OFFERED:
            raise EnrolmentError(_("There is no open offer to accept."), code="no_offer", enrolment=enrolment)
        if enrolment.offer_expires_at and now >= enrolment.offer_expires_at:
            raise EnrolmentError(_("The offer has expired."), code="expired", enrolment=enrolment)
        course = course_of(occasion)
        if course.requires_manager_approval and _approval_of(enrolment) is not None:
            # The seat is the person's; their line manager says whether they may take it.
            _set_status(enrolment, Status.AWAITING_MANAGER, offer_expires_at=None)
            _hold_for_manager(enrolment, occasion, course, now)
            _record(enrolment, Kind.AWAITING_MANAGER, "accept_offer", user=by)
            return enrolment
        _set_status(enrolment, Status.CONFIRMED, offer_expires_at=None)
        _record(enrolment, Kind.CONFIRMED, "accept_offer", user=by)
        return enrolment


def expire_offers(now=None):
    """Expired offers pass to the next in line. Safe to run any number of times (a beat job)."""
    now = now or timezone.now()
    expired = 0
    due = Enrolment.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list("pk", flat=True)
    for enrolment_id in list(due):
        with transaction.atomic():
            enrolment, occasion = _locked_enrolment(enrolment_id)
            if enrolment.status != Status.OFFERED or enrolment.offer_expires_at > now:
                continue  # accepted or already handled meanwhile
            _set_status(enrolment, Status.EXPIRED)
            _record(enrolment, Kind.OFFER_EXPIRED, "expire_offer")
            fill_free_seats(occasion, now=now)
            expired += 1
    return expired


def approve(enrolment_id, by, message="", *, now=None):
    with transaction.atomic():
        enrolment, occasion = _locked_enrolment(enrolment_id)
        if enrolment.status != Status.PENDING:
            raise EnrolmentError(_("Only enrolments awaiting approval can be approved."), code="not_pending")
        _set_status(enrolment, Status.CONFIRMED, message=message)
        _record(enrolment, Kind.CONFIRMED, "approve", user=by)
        return enrolment


def reject(enrolment_id, by, message="", *, now=None):
    with transaction.atomic():
        enrolment, occasion = _locked_enrolment(enrolment_id)
        if enrolment.status != Status.PENDING:
            raise EnrolmentError(_("Only enrolments awaiting approval can be rejected."), code="not_pending")
        _set_status(enrolment, Status.REJECTED, message=message)
        _record(enrolment, Kind.REJECTED, "reject", user=by)
        fill_free_seats(occasion, now=now, user=by)
        return enrolment


def change_capacity(occasion_id, capacity, by, *, now=None):
    """Set an occasion's capacity; raising it promotes waiting people. Never below the seats taken."""
    with transaction.atomic():
        occasion = lock_occasion(occasion_id)
        taken = seats_taken(occasion)
        if capacity is not None and capacity < taken:
            raise EnrolmentError(
                ngettext(
                    "%(taken)s seat is already taken; the capacity cannot be lower.",
                    "%(taken)s seats are already taken; the capacity cannot be lower.",
                    taken,
                )
                % {"taken": taken},
                code="capacity",
            )
        occasion.capacity = capacity
        occasion.save(update_fields=["capacity"])
        log(instance=occasion, action="wagtail.edit", user=by, data={"capacity": capacity})
        return fill_free_seats(occasion, now=now, user=by)


def cancel_occasion(occasion_id, by, reason=""):
    """The organiser cancels a whole occasion: every active enrolment is cancelled and told."""
    with transaction.atomic():
        occasion = lock_occasion(occasion_id)
        occasion.status = Occasion.Status.CANCELLED
        occasion.save(update_fields=["status"])
        log(instance=occasion, action="occasion.cancel", user=by, data={"reason": reason})
        _cancel_active_enrolments(occasion, by, reason)
        return occasion


def _cancel_active_enrolments(occasion, by, reason=""):
    cancelled = 0
    for enrolment in Enrolment.objects.filter(occasion=occasion).active().select_related("user"):
        _set_status(enrolment, Status.CANCELLED, message=reason)
        log(
            instance=enrolment,
            action="enrolment.cancel",
            user=by,
            data={"status": enrolment.status, "by_organiser": True},
        )
        _emit(Kind.OCCASION_CANCELLED, occasion.pk, enrolment, reason=reason)
        cancelled += 1
    return cancelled


def _announce_changes(occasion, by):
    """Tell active participants about a new time, place or link, with a higher calendar SEQUENCE."""
    fingerprint = occasion.logistics_fingerprint
    if occasion.announced == fingerprint:
        return 0
    active = list(Enrolment.objects.filter(occasion=occasion).active().select_related("user"))
    if occasion.announced and active:
        occasion.ical_sequence += 1
    occasion.announced = fingerprint
    occasion.save(update_fields=["ical_sequence", "announced"])
    if not active or occasion.ical_sequence == 0:
        return 0
    for enrolment in active:
        log(instance=enrolment, action="enrolment.occasion_changed", user=by, data={"sequence": occasion.ical_sequence})
        _emit(Kind.OCCASION_CHANGED, occasion.pk, enrolment, sequence=occasion.ical_sequence)
    return len(active)


def apply_published_occasions(course_id, by=None, *, now=None):
    """After an editor publishes a course: occasions set to cancelled cancel their enrolments, changed
    times or places are announced, and raised capacities promote waiting people. Safe to run again."""
    cancelled = changed = promoted = 0
    for occasion_id in Occasion.objects.filter(course_id=course_id).values_list("pk", flat=True):
        with transaction.atomic():
            occasion = lock_occasion(occasion_id)
            if occasion.is_cancelled:
                cancelled += _cancel_active_enrolments(occasion, by)
                continue
            changed += _announce_changes(occasion, by)
            promoted += len(fill_free_seats(occasion, now=now, user=by))
    return {"cancelled": cancelled, "changed": changed, "promoted": promoted}


# --- Organiser operations -----------------------------------------------------------------------------


def promote(enrolment_id, by, message="", *, now=None):
    """Give one waiting person a free seat now (the organiser may take someone out of turn).

    Never over capacity: with no seat free, the organiser raises the capacity first.
    """
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, occasion = _locked_enrolment(enrolment_id)
        if enrolment.status not in (Status.WAITING, Status.OFFERED):
            raise EnrolmentError(_("Only people on the waiting list can be promoted."), code="not_waiting")
        if occasion.is_cancelled or now >= occasion.start:
            raise EnrolmentError(_("This occasion has started or is cancelled."), code="closed")
        holds_offered_seat = enrolment.status == Status.OFFERED
        if not holds_offered_seat and occasion.capacity is not None and seats_taken(occasion) >= occasion.capacity:
            raise EnrolmentError(_("No seat is free. Raise the capacity first."), code="full")
        _set_status(enrolment, Status.CONFIRMED, message=message, offer_expires_at=None)
        _record(enrolment, Kind.PROMOTED, "promote", user=by)
        return enrolment


def move(enrolment_id, target_occasion_id, by, message="", *, now=None):
    """Move a person to another occasion of the same course, with a seat there.

    The old enrolment is cancelled (its seat goes to the waiting list, and the person's calendar drops the
    old date) and a confirmed one is made on the target, carrying the answers over.
    """
    now = now or timezone.now()
    with transaction.atomic():
        source_id = Enrolment.objects.filter(pk=enrolment_id).values_list("occasion_id", flat=True).first()
        if source_id is None:
            raise EnrolmentError(_("This enrolment does not exist."), code="not_found")
        if int(target_occasion_id) == source_id:
            raise EnrolmentError(_("Choose another occasion than the current one."), code="same_occasion")
        # Both occasions locked, always in id order, so two opposite moves cannot deadlock.
        locked = {
            o.pk: o
            for o in Occasion.objects.select_for_update().filter(pk__in=[source_id, target_occasion_id]).order_by("pk")
        }
        source, target = locked[source_id], locked.get(int(target_occasion_id))
        enrolment = Enrolment.objects.select_related("user").get(pk=enrolment_id)
        if target is None or course_of(target).translation_key != course_of(source).translation_key:
            raise EnrolmentError(
                _("People can only be moved to another occasion of the same course."), code="other_course"
            )
        if enrolment.status not in Enrolment.ACTIVE_STATUSES:
            raise EnrolmentError(
                _("This enrolment is no longer active (%(status)s).") % {"status": enrolment.get_status_display()},
                code="not_active",
            )
        if target.is_cancelled or now >= target.start:
            raise EnrolmentError(_("The chosen occasion has started or is cancelled."), code="closed")
        taken, _anyone_waiting, existing_id = seat_state(target, enrolment.user)
        if existing_id:
            raise EnrolmentError(_("This person is already enrolled in the chosen occasion."), code="already_enrolled")
        if target.capacity is not None and taken >= target.capacity:
            raise EnrolmentError(_("The chosen occasion is full. Raise its capacity first."), code="full")

        if not message:
            # The person reads this in their cancellation e-mail: their language, not the organiser's.
            with translation.override(enrolment.user.preferred_language or settings.LANGUAGE_CODE):
                when = formatting.format_period(target.start, target.end)
                message = str(_("Moved to %(when)s.") % {"when": when})
        _set_status(enrolment, Status.CANCELLED, message=message)
        _record(enrolment, Kind.CANCELLED, "move", user=by, to_occasion=target.pk)
        # The invoice details come along; the fee is the target occasion's (what the person now attends).
        fee, vat = target.fee_for(target.course)  # course_of() above cached it
        paid = {"fee": fee, "fee_vat": vat} if fee is not None else {}
        if paid:
            paid.update({name: getattr(enrolment, name) for name in invoicing.INVOICE_FIELDS})
        new = Enrolment.objects.create(
            user=enrolment.user, occasion=target, status=Status.CONFIRMED, answers=enrolment.answers, **paid
        )
        _record(new, Kind.CONFIRMED, "create", user=by, from_occasion=source.pk)
        fill_free_seats(source, now=now, user=by)
        return new


MESSAGE_AUDIENCES = {
    # who gets an organiser's message: the people with a seat (those already checked in too: a message on the
    # day is for the people in the room), or those and the waiting list
    "participants": [Status.CONFIRMED, Status.ATTENDED, Status.PENDING, Status.OFFERED, Status.AWAITING_MANAGER],
    "everyone": [
        Status.CONFIRMED,
        Status.ATTENDED,
        Status.PENDING,
        Status.OFFERED,
        Status.AWAITING_MANAGER,
        Status.WAITING,
    ],
}


def message_participants(occasion_id, by, subject, body, audience="participants"):
    """An e-mail from the organiser to an occasion's participants, through the outbox. Returns the count."""
    subject, body = " ".join((subject or "").split())[:200], (body or "").strip()[:5000]
    if not subject or not body:
        raise EnrolmentError(_("Write a subject and a message."), code="empty")
    statuses = MESSAGE_AUDIENCES.get(audience)
    if statuses is None:
        raise EnrolmentError(_("Choose who gets the message."), code="audience")
    with transaction.atomic():
        occasion = lock_occasion(occasion_id)
        recipients = list(Enrolment.objects.filter(occasion=occasion, status__in=statuses).select_related("user"))
        batch = uuid.uuid4().hex
        log(
            instance=occasion,
            action="occasion.message",
            user=by,
            data={"subject": subject, "recipients": len(recipients), "audience": audience, "batch": batch},
        )
        for enrolment in recipients:
            notifications.queue_organiser_message(batch, enrolment, subject, body)
        return len(recipients)


def record_export(by, export_format, rows, filters, columns, *, action="enrolment.export"):
    """Every export of personal data is written to the audit log (who, when, what, how many rows)."""
    # The filters are the query string as typed; PostgreSQL's JSON cannot hold a NUL character.
    filters = {
        key.replace("\x00", ""): [value.replace("\x00", "") for value in values] for key, values in filters.items()
    }
    log(
        instance=by,
        action=action,
        user=by,
        data={"format": export_format, "rows": rows, "filters": filters, "columns": columns},
    )


# --- Attendance ---------------------------------------------------------------------------------------
# Marking who came changes no seats and sends no e-mail: an audit entry (with the person who marked it as
# the entry's user) and `attendance_recorded_at` are all it writes. Under the occasion lock all the same, so
# it serialises with an organiser cancelling the same enrolment.

ATTENDANCE_STATUSES = [Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW]


def attendance_is_open(occasion, now=None):
    """Attendance is taken from the day the occasion starts (people check in before the first session)."""
    now = now or timezone.now()
    return now >= occasion.start or timezone.localdate(now) == timezone.localdate(occasion.start)


def _check_attendance_open(occasion, now):
    if occasion.is_cancelled:
        raise EnrolmentError(_("This occasion has been cancelled."), code="cancelled")
    if not attendance_is_open(occasion, now):
        raise EnrolmentError(_("Attendance can be marked from the day the occasion starts."), code="not_started")


def _set_attendance(enrolment, status, actor, now):
    action = {Status.ATTENDED: "attended", Status.NO_SHOW: "no_show", Status.CONFIRMED: "attendance_cleared"}[status]
    _set_status(enrolment, status, attendance_recorded_at=None if status == Status.CONFIRMED else now)
    log(instance=enrolment, action=f"enrolment.{action}", user=actor, data={"status": status})


def mark_attendance(enrolment_id, actor, attended: bool, *, now=None):
    """Mark one participant as attended, or take the mark back: a no-show once the occasion has ended,
    unmarked (confirmed) before that. Marking what is already so changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, occasion = _locked_enrolment(enrolment_id)
        if enrolment.status not in ATTENDANCE_STATUSES:
            raise EnrolmentError(
                _("Only confirmed participants can be marked (%(status)s).")
                % {"status": enrolment.get_status_display()},
                code="not_confirmed",
                enrolment=enrolment,
            )
        _check_attendance_open(occasion, now)
        if attended:
            wanted = Status.ATTENDED
        else:
            wanted = Status.NO_SHOW if now >= occasion.end else Status.CONFIRMED
            if enrolment.status == Status.NO_SHOW:
                wanted = Status.NO_SHOW  # already not here; nothing to take back
        if enrolment.status != wanted:
            _set_attendance(enrolment, wanted, actor, now)
        return enrolment


def _mark_every_confirmed(occasion, status, actor, now):
    """Everyone still confirmed (unmarked) gets `status`; the occasion is locked by the caller."""
    course_of(occasion)
    marked = 0
    for enrolment in Enrolment.objects.filter(occasion=occasion, status=Status.CONFIRMED).select_related("user"):
        enrolment.occasion = occasion  # the audit label reads it: spare a query per person
        _set_attendance(enrolment, status, actor, now)
        marked += 1
    return marked


def mark_all_present(occasion_id, actor, *, now=None):
    """Every confirmed participant not yet marked is marked attended; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        occasion = lock_occasion(occasion_id)
        _check_attendance_open(occasion, now)
        return _mark_every_confirmed(occasion, Status.ATTENDED, actor, now)


def record_no_shows(now=None):
    """Confirmed participants nobody marked become no-shows once the occasion ended more than
    ATTENDANCE_GRACE_HOURS ago (time for late corrections). Safe to run any number of times (a beat job).

    Only occasions that ended within ATTENDANCE_LOOKBACK_DAYS before that are looked at: on a database that
    predates check-in (the first run after a deploy, an import), older unmarked participants stay "confirmed",
    attendance unknown, instead of being rewritten into no-shows nobody observed. The window is wide enough
    to cover a beat outage of days."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.ATTENDANCE_GRACE_HOURS)
    since = cutoff - dt.timedelta(days=settings.ATTENDANCE_LOOKBACK_DAYS)
    due = Occasion.objects.filter(end__lte=cutoff, end__gt=since, enrolments__status=Status.CONFIRMED).values_list(
        "pk", flat=True
    )
    recorded = 0
    for occasion_id in sorted(set(due)):
        # One occasion per transaction; who is still unmarked is read again under its lock.
        with transaction.atomic():
            recorded += _mark_every_confirmed(lock_occasion(occasion_id), Status.NO_SHOW, None, now)
    return recorded


# --- Changing a course's rules ------------------------------------------------------------------------


def enrolment_rules(course):
    """The rules of a course that decide what happens to people who enrol, as a comparable snapshot."""
    return {
        "requires_approval": course.requires_approval,
        "requires_manager_approval": course.requires_manager_approval,
        "eligible_professions": {profession.pk for profession in course.eligible_professions.all()},
        "questions": [block.id for block in course.enrolment_questions],
        "waiting_list_mode": course.waiting_list_mode,
        "offer_hours": course.offer_hours,
    }


def rule_change_effects(course, before, after, now=None):
    """What changing a course's rules does to the people already enrolled in its coming occasions.

    `before` and `after` are `enrolment_rules` snapshots. One sentence per change that concerns someone, in the
    active language; empty when nobody is enrolled or nothing that matters changed. No rule change ever moves
    an enrolment: rules apply to what happens next.
    """
    now = now or timezone.now()
    counts = dict(
        Enrolment.objects.filter(
            occasion__course__translation_key=course.translation_key,
            occasion__end__gte=now,
            status__in=Enrolment.ACTIVE_STATUSES,
        )
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    if not counts:
        return []
    enrolled = sum(counts.values())
    confirmed, pending = counts.get(Status.CONFIRMED, 0), counts.get(Status.PENDING, 0)
    waiting, offered = counts.get(Status.WAITING, 0), counts.get(Status.OFFERED, 0)
    effects = []
    if after["requires_approval"] and not before["requires_approval"] and confirmed:
        effects.append(
            ngettext(
                "New enrolments now need your approval; the %(count)s person already confirmed stays confirmed.",
                "New enrolments now need your approval; the %(count)s people already confirmed stay confirmed.",
                confirmed,
            )
            % {"count": confirmed}
        )
    if before["requires_approval"] and not after["requires_approval"] and pending:
        effects.append(
            ngettext(
                "New enrolments are confirmed at once; %(count)s enrolment still awaits your approval in the "
                "participant list.",
                "New enrolments are confirmed at once; %(count)s enrolments still await your approval in the "
                "participant list.",
                pending,
            )
            % {"count": pending}
        )
    awaiting_manager = counts.get(Status.AWAITING_MANAGER, 0)
    if after.get("requires_manager_approval") and not before.get("requires_manager_approval"):
        effects.append(
            ngettext(
                "New enrolments now need the line manager's approval; the %(count)s person already enrolled is "
                "not asked for it.",
                "New enrolments now need the line manager's approval; the %(count)s people already enrolled are "
                "not asked for it.",
                enrolled,
            )
            % {"count": enrolled}
        )
    if before.get("requires_manager_approval") and not after.get("requires_manager_approval") and awaiting_manager:
        effects.append(
            ngettext(
                "New enrolments no longer need the line manager's approval; %(count)s enrolment still awaits its "
                "manager's answer.",
                "New enrolments no longer need the line manager's approval; %(count)s enrolments still await their "
                "managers' answers.",
                awaiting_manager,
            )
            % {"count": awaiting_manager}
        )
    if after["eligible_professions"] != before["eligible_professions"]:
        effects.append(
            ngettext(
                "The professions that may enrol apply to new enrolments; the %(count)s person already enrolled "
                "keeps their place.",
                "The professions that may enrol apply to new enrolments; the %(count)s people already enrolled "
                "keep their places.",
                enrolled,
            )
            % {"count": enrolled}
        )
    if set(after["questions"]) - set(before["questions"]):
        effects.append(
            ngettext(
                "The %(count)s person already enrolled has not answered the new questions.",
                "The %(count)s people already enrolled have not answered the new questions.",
                enrolled,
            )
            % {"count": enrolled}
        )
    mode_changed = after["waiting_list_mode"] != before["waiting_list_mode"]
    if mode_changed and after["waiting_list_mode"] == WaitingListMode.OFFER and waiting:
        effects.append(
            ngettext(
                "The %(count)s person on the waiting list will be offered the next free seat, with %(hours)s "
                "hours to accept.",
                "The %(count)s people on the waiting list will be offered the next free seats, with %(hours)s "
                "hours to accept.",
                waiting,
            )
            % {"count": waiting, "hours": after["offer_hours"]}
        )
    elif mode_changed and waiting:
        effects.append(
            ngettext(
                "The %(count)s person on the waiting list will get the next free seat at once, without an offer.",
                "The %(count)s people on the waiting list will get the next free seats at once, without an offer.",
                waiting,
            )
            % {"count": waiting}
        )
    if offered and (mode_changed or after["offer_hours"] != before["offer_hours"]):
        effects.append(
            ngettext(
                "The %(count)s seat already offered keeps its deadline.",
                "The %(count)s seats already offered keep their deadlines.",
                offered,
            )
            % {"count": offered}
        )
    return effects
