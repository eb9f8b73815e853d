from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_calendarday_day_off_answers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="unitsuccession",
            name="merge_type",
            field=models.CharField(
                choices=[
                    ("full", "Nhập toàn bộ"),
                    ("partial", "Nhập một phần (đơn vị cũ bị chia)"),
                ],
                max_length=16,
                verbose_name="kiểu sáp nhập",
            ),
        ),
    ]
