import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    for model_name in ("Applicant", "Period", "Child"):
        model = apps.get_model("applicants", model_name)
        for row in model.objects.all():
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("applicants", "0002_initial")]

    operations = [
        *[
            migrations.AddField(
                model_name=name, name="public_id", field=models.UUIDField(null=True, editable=False)
            )
            for name in ("applicant", "period", "child")
        ],
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        *[
            migrations.AlterField(
                model_name=name,
                name="public_id",
                field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
            )
            for name in ("applicant", "period", "child")
        ],
    ]
