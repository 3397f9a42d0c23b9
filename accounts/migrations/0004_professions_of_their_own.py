"""A person's profession becomes accounts' own code in the singular ("nurse": Sjuksköterska / Nurse) instead of
a course audience ("Sjuksköterskor"); each audience names the professions it is for.

The one data migration of the layering (docs/architecture.md). Audiences are recognised by their slug in any
language, else by their Swedish or English name; a profile whose audience is none of these is left empty, so
the person is asked for their profession again at their next enrolment.
"""

from django.db import migrations, models

# What each audience known from the demo, the tests and the first centres' data means.
BY_SLUG = {
    "physicians": ["physician"],
    "doctors": ["physician"],
    "lakare": ["physician"],
    "nurses": ["nurse"],
    "sjukskoterskor": ["nurse"],
    "pharmacists": ["pharmacist"],
    "farmaceuter": ["pharmacist"],
    "biomedical-scientists": ["biomedical_scientist"],
    "biomedicinska-analytiker": ["biomedical_scientist"],
    "gmp-and-laboratory-staff": ["gmp_staff"],
    "gmp-staff": ["gmp_staff"],
    "researchers": ["researcher"],
    "forskare": ["researcher"],
    "quality-assurance": ["quality_assurance"],
}
BY_NAME = {
    "läkare": ["physician"],
    "physicians": ["physician"],
    "sjuksköterskor": ["nurse"],
    "nurses": ["nurse"],
    "farmaceuter": ["pharmacist"],
    "pharmacists": ["pharmacist"],
    "biomedicinska analytiker": ["biomedical_scientist"],
    "biomedical scientists": ["biomedical_scientist"],
    "gmp- och laboratoriepersonal": ["gmp_staff"],
    "gmp and laboratory staff": ["gmp_staff"],
    "forskare": ["researcher"],
    "researchers": ["researcher"],
    "kvalitetssäkring": ["quality_assurance"],
    "quality assurance": ["quality_assurance"],
}


def professions_of(audience, siblings):
    """The codes an audience means, judged on every language version of it."""
    for entry in [audience, *siblings]:
        codes = BY_SLUG.get(entry.slug) or BY_NAME.get(entry.name.strip().lower())
        if codes:
            return codes
    return []


def forward(apps, schema_editor):
    Audience = apps.get_model("courses", "Audience")
    User = apps.get_model("accounts", "User")
    audiences = list(Audience.objects.all())
    by_key = {}
    for audience in audiences:
        by_key.setdefault(audience.translation_key, []).append(audience)
    codes = {}
    for audience in audiences:
        codes[audience.pk] = professions_of(audience, by_key[audience.translation_key])
        if not audience.professions:
            Audience.objects.filter(pk=audience.pk).update(professions=codes[audience.pk])
    for user in User.objects.filter(profession__isnull=False).only("pk", "profession_id"):
        found = codes.get(user.profession_id) or [""]
        User.objects.filter(pk=user.pk).update(profession_code=found[0])


def backward(apps, schema_editor):
    Audience = apps.get_model("courses", "Audience")
    User = apps.get_model("accounts", "User")
    # Back to an audience in the default language that names the profession.
    audience_for = {}
    for audience in Audience.objects.filter(locale__language_code="sv").order_by("pk"):
        for code in audience.professions or []:
            audience_for.setdefault(code, audience.pk)
    for user in User.objects.exclude(profession_code="").only("pk", "profession_code"):
        User.objects.filter(pk=user.pk).update(profession_id=audience_for.get(user.profession_code))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_alter_user_region'),
        ('courses', '0014_audience_professions'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='profession_code',
            field=models.CharField(blank=True, default='', max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(
            model_name='user',
            name='profession',
        ),
        migrations.RenameField(
            model_name='user',
            old_name='profession_code',
            new_name='profession',
        ),
        migrations.AlterField(
            model_name='user',
            name='profession',
            field=models.CharField(blank=True, choices=[('physician', 'Physician'), ('nurse', 'Nurse'), ('pharmacist', 'Pharmacist'), ('biomedical_scientist', 'Biomedical scientist'), ('gmp_staff', 'GMP or laboratory staff'), ('researcher', 'Researcher'), ('quality_assurance', 'Quality assurance specialist'), ('other', 'Other profession')], max_length=40, verbose_name='profession'),
        ),
    ]
