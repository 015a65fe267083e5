"""Rule-making power (规章制定权, 立法法 Art. 93) as a flag on the organ."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_security_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="may_make_rules",
            field=models.BooleanField(
                default=False,
                help_text="《立法法》第九十三条；区县人民政府及其部门没有规章制定权。",
                verbose_name="有规章制定权",
            ),
        ),
    ]
