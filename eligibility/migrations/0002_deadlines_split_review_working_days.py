"""BIZ-TIME-LIMIT (rules.md edition 2): P-REVIEW-WORKING-DAYS is split into P-LEAD-WORKING-DAYS and
P-RATIFY-WORKING-DAYS.

The parameter table is append-only, so the values the authority entered under the retired ID are
not rewritten: each one is copied, with its date, value, author and time, to P-LEAD-WORKING-DAYS
(what it governed: the lead time of REN-DEADLINE / CHG-DEADLINE). The engine skips the retired ID
(`policy.parameters.RETIRED`). P-RATIFY-WORKING-DAYS starts from its shipped value.
"""

from django.db import migrations

RETIRED = "P-REVIEW-WORKING-DAYS"
LEAD = "P-LEAD-WORKING-DAYS"


def copy_forward(apps, schema_editor):
    ParameterValue = apps.get_model("eligibility", "ParameterValue")
    for old in ParameterValue.objects.filter(parameter_id=RETIRED).order_by("entered_at", "id"):
        ParameterValue.objects.create(
            parameter_id=LEAD,
            effective_from=old.effective_from,
            value=old.value,
            citation=old.citation[:500],
            entered_by_id=old.entered_by_id,
            entered_at=old.entered_at,
        )


def copy_back(apps, schema_editor):
    # The copies are left in place (append-only); the retired entries are still there as well.
    pass


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_initial")]

    operations = [migrations.RunPython(copy_forward, copy_back)]
