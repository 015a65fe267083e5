"""The reports written before reports were per organ were the portal's one
report a year: they become the government's (本级政府), and each published
one gets its published text as revision 1, so its public page and DOCX keep
showing it at the same address."""

from django.db import migrations

TEXT_FIELDS = (
    "overview",
    "proactive_text",
    "requests_text",
    "appeals_text",
    "problems",
    "other_matters",
)


def _government(Department):
    government = (
        Department.objects.filter(kind="government", parent__isnull=True)
        .order_by("order", "pk")
        .first()
    )
    if government is None:
        code = "government"
        while Department.objects.filter(code=code).exists():
            code += "-1"
        government = Department.objects.create(
            code=code, name="人民政府", kind="government"
        )
    return government


def assign_reports(apps, schema_editor):
    AnnualReport = apps.get_model("disclosure", "AnnualReport")
    Revision = apps.get_model("disclosure", "AnnualReportRevision")
    Department = apps.get_model("catalog", "Department")
    reports = list(AnnualReport.objects.filter(organ__isnull=True).order_by("year"))
    if not reports:
        return
    government = _government(Department)
    for report in reports:
        report.organ = government
        report.save(update_fields=["organ"])
        if report.state == "published":
            content = {name: getattr(report, name) for name in TEXT_FIELDS}
            content.update(
                table2=report.table2,
                table3=report.table3,
                table4=report.table4,
                fees_charged="0",
            )
            Revision.objects.create(
                report=report,
                number=1,
                title=f"{government.name}{report.year}年政府信息公开工作年度报告",
                content=content,
                published_by_id=report.published_by_id or report.updated_by_id,
                published_at=report.published_at,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0010_annual_reports_per_organ_with_revisions"),
        # the latest catalog schema: a government may have to be created
        ("catalog", "0004_department_may_make_rules"),
    ]

    operations = [
        migrations.RunPython(assign_reports, migrations.RunPython.noop),
    ]
