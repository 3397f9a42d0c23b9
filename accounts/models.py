"""The person behind an account: a clinician, a course owner or a network admin. E-mail is the login.

The clinician's profile (profession, workplace, region, language, privacy consent) lives on the user:
one row per person, asked for at sign-up or at the first enrolment.
"""

import contextlib
import contextvars
import functools
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .regions import REGIONS


class Profession(models.TextChoices):
    """What a person works as, in the singular ("Sjuksköterska", "Nurse"): shown on sign-in sheets, check-in
    lists and exports. A course audience names the professions it is written for (courses.Audience)."""

    PHYSICIAN = "physician", _("Physician")
    NURSE = "nurse", _("Nurse")
    PHARMACIST = "pharmacist", _("Pharmacist")
    BIOMEDICAL_SCIENTIST = "biomedical_scientist", _("Biomedical scientist")
    GMP_STAFF = "gmp_staff", _("GMP or laboratory staff")
    RESEARCHER = "researcher", _("Researcher")
    QUALITY_ASSURANCE = "quality_assurance", _("Quality assurance specialist")
    OTHER = "other", _("Other profession")


def profession_label(code):
    """A profession's name in the active language, as text (spreadsheets take no lazy strings); "" if none."""
    return str(Profession(code).label) if code in Profession.values else ""


# Cost centres (kostnadsställen) are codes: 51200, K-5120, 51.200/3. One rule for the profile and enrolments.
COST_CENTRE_PATTERN = r"^[0-9A-Za-zÅÄÖÉÜåäöéü][0-9A-Za-zÅÄÖÉÜåäöéü .\-/_]*$"
validate_cost_centre = RegexValidator(
    COST_CENTRE_PATTERN, _("Write the cost centre with letters and digits, for example 51200 or K-5120.")
)


def new_calendar_token():
    return secrets.token_urlsafe(24)  # letters, digits, - and _: the slug in the feed's URL


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get(self, *args, **kwargs):
        """As QuerySet.get(). `get(pk=…)`, which auth asks on every request of someone logged in (ModelBackend's
        get_user), runs a SELECT compiled once per process: the ORM compiling it each time was a fifth of the CPU
        an enrolment took in the rush, and as much on every logged-in page."""
        if args or kwargs.keys() != {"pk"} or type(kwargs["pk"]) not in (int, str):
            return super().get(*args, **kwargs)
        try:
            pk = int(kwargs["pk"])
        except ValueError:
            return super().get(*args, **kwargs)  # the ORM's own error
        if (known := _known_user.get()) is not None and known.pk == pk and known._state.db == self.db:
            return known
        sql = self.by_pk_sql()
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        return self.from_row(row)

    def by_pk_sql(self):
        """`get(pk=…)`'s SELECT, the primary key its one parameter: for a caller that reads the row along with
        others in one round trip and makes it a user with `from_row()`."""
        return _by_pk_sql(self.model, self.db)[0]

    def from_row(self, row):
        _sql, names, converters = _by_pk_sql(self.model, self.db)
        db = connections[self.db]
        values = list(row)
        for index, field_converters, column in converters:  # as the ORM's compiler does (SQLite's dates, say)
            for convert in field_converters:
                values[index] = convert(values[index], column, db)
        return self.model.from_db(self.db, names, values)

    @contextlib.contextmanager
    def known(self, user):
        """Within the block, `get(pk=…)` of this user gives this instance, read a moment ago with other rows, instead
        of reading it again: for auth's get_user(), which still checks the session against it as usual."""
        token = _known_user.set(user)
        try:
            yield
        finally:
            _known_user.reset(token)


_known_user = contextvars.ContextVar("known_user", default=None)


_STAND_IN_PK = -7_777_777


@functools.cache
def _by_pk_sql(model, alias):
    """The ORM's own `SELECT … WHERE pk = %s` of `model`, compiled once per process and database, with the names
    of its columns' fields and the converters of those that need one."""
    compiler = model._base_manager.db_manager(alias).filter(pk=_STAND_IN_PK).query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if tuple(params) != (_STAND_IN_PK,):
        raise ValueError(f"unexpected parameters {params!r} in {sql}")
    db = connections[alias]
    columns = [column for column, _sql, _alias in compiler.select]
    converters = [
        (index, functions, column)
        for index, column in enumerate(columns)
        if (functions := db.ops.get_db_converters(column) + column.get_db_converters(db))
    ]
    return sql, [column.target.attname for column in columns], converters


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("sv", "Svenska"), ("en", "English")],
        default="sv",
    )

    profession = models.CharField(_("profession"), max_length=40, choices=Profession.choices, blank=True)
    workplace = models.CharField(_("workplace"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=40, choices=REGIONS, blank=True)
    privacy_notice_version = models.CharField(_("privacy notice accepted (version)"), max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    # Invoicing defaults, offered on the enrolment form of a course with a fee (each enrolment keeps its own copy).
    invoice_organisation = models.CharField(_("organisation to invoice"), max_length=200, blank=True)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True, validators=[validate_cost_centre])
    invoice_reference = models.CharField(_("invoice reference"), max_length=100, blank=True)

    # The line manager who approves courses that ask for it (remembered from the last such enrolment).
    manager_name = models.CharField(_("line manager's name"), max_length=200, blank=True)
    manager_email = models.EmailField(_("line manager's e-mail"), blank=True)
    # Secret part of the personal calendar subscription URL; resetting it invalidates old subscriptions.
    calendar_token = models.CharField(max_length=64, default=new_calendar_token, db_index=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def has_accepted_current_privacy_notice(self):
        return self.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION

    @property
    def profile_is_complete(self):
        """Everything an organiser needs to know about a participant, and consent to the current notice."""
        return bool(
            self.first_name
            and self.last_name
            and self.profession
            and self.workplace
            and self.region
            and self.has_accepted_current_privacy_notice
        )

    def accept_privacy_notice(self):
        self.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
        self.privacy_accepted_at = timezone.now()

    def reset_calendar_token(self):
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])
