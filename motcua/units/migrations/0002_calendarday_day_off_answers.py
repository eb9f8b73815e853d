from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="calendarday",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "makeup_workday"), _negated=True
                )
                | models.Q(("is_day_off", False)),
                name="calendar_day_makeup_is_working",
            ),
        ),
        migrations.AddConstraint(
            model_name="calendarday",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_day_off__isnull", False), ("kind", "pending_holiday"), _connector="OR"
                ),
                name="calendar_day_undecided_only_pending",
            ),
        ),
    ]
