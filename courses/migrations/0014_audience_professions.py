import courses.models
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0013_remove_course_attachments'),
    ]

    operations = [
        migrations.AddField(
            model_name='audience',
            name='professions',
            field=courses.models.ProfessionsField(blank=True, default=list, help_text='The professions in a profile that belong to this audience.', verbose_name='professions'),
        ),
    ]
