import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_move_documents_to_private_storage"),
    ]

    operations = [
        migrations.AlterField(
            model_name="coursematerial",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="courses.coursedocument",
                verbose_name="document",
            ),
        ),
    ]
