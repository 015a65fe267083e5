"""Every report belongs to an organ, one per organ and year; published
revisions and the reports' audit trail are append-only on PostgreSQL too."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from portal import append_only


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0011_annual_reports_to_the_government'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='annualreport',
            name='organ',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='annual_reports', to='catalog.department', verbose_name='报告机关'),
        ),
        migrations.AddConstraint(
            model_name='annualreport',
            constraint=models.UniqueConstraint(fields=('organ', 'year'), name='unique_annual_report_per_organ'),
        ),
        # The function is migration 0002's (audit entries of items).
        append_only.guard(
            "disclosure_annualreportrevision",
            "disclosure_annualreportauditentry",
            function="disclosure_audit_append_only",
        ),
    ]
