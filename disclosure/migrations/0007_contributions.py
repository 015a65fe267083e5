"""Who touched the revision under review (the second pair of eyes): the
items' publication count, the contributions table, and both filled in for
the items that exist, from the audit trail."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

#: Audit actions that touch the content, and the contribution they record.
TOUCHES = {
    "create": "create",
    "edit": "edit",
    "attach": "attach",
    "detach": "detach",
    "submit": "submit",
}
IN_PROGRESS = ("draft", "submitted", "returned", "approved")


def count_publications(apps, schema_editor):
    """An item has been published as many times as its public record's
    revision number (a scheduled publication counts)."""
    Item = apps.get_model("disclosure", "Item")
    PublicRecord = apps.get_model("disclosure", "PublicRecord")
    revisions = PublicRecord.objects.filter(item_id=OuterRef("pk")).values(
        "revision_number"
    )[:1]
    Item.objects.update(
        publication_count=Coalesce(Subquery(revisions), models.Value(0))
    )


def record_contributions(apps, schema_editor):
    """For the items under way, who touched them since their last
    publication, read from the audit trail (a cancelled scheduled publication
    was no publication); at least whoever the old rule named (last editor,
    submitter, and the creator of a never-published item)."""
    Item = apps.get_model("disclosure", "Item")
    AuditEntry = apps.get_model("disclosure", "AuditEntry")
    Contribution = apps.get_model("disclosure", "Contribution")
    rows = []
    for item in Item.objects.filter(state__in=IN_PROGRESS).iterator():
        touched: dict = {}
        stashed: dict = {}
        entries = AuditEntry.objects.filter(item_id=item.pk).order_by("at", "pk")
        for actor_id, action, at in entries.values_list("actor_id", "action", "at"):
            if action in ("publish", "schedule"):
                stashed, touched = touched, {}
            elif action == "unschedule":
                touched = stashed
            elif action in TOUCHES:
                touched.setdefault((actor_id, TOUCHES[action]), at)
        named = [(item.updated_by_id, "edit")]
        if item.submitted_by_id and item.state in ("submitted", "approved"):
            named.append((item.submitted_by_id, "submit"))
        if item.publication_count == 0:
            named.append((item.created_by_id, "create"))
        now = django.utils.timezone.now()
        for user_id, kind in named:
            if not any(user_id == touched_by for touched_by, _kind in touched):
                touched[(user_id, kind)] = now
        rows.extend(
            Contribution(
                item_id=item.pk,
                round=item.publication_count,
                user_id=user_id,
                kind=kind,
                at=at,
            )
            for (user_id, kind), at in touched.items()
        )
    Contribution.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0006_attachment_public_copy_checked"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="publication_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="每次发布（含定时发布）加一，取消定时发布减一。送审中的版本是自上次发布以来的修改：它的修改人记录在同一轮次下（Contribution）。",
                verbose_name="发布次数",
            ),
        ),
        migrations.CreateModel(
            name="Contribution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "round",
                    models.PositiveIntegerField(
                        help_text="修改时该信息已发布的次数。", verbose_name="发布轮次"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("create", "创建"),
                            ("edit", "修改内容"),
                            ("attach", "上传附件"),
                            ("detach", "删除附件"),
                            ("submit", "提交审核"),
                        ],
                        max_length=20,
                        verbose_name="修改方式",
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="首次时间"
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contributions",
                        to="disclosure.item",
                        verbose_name="公开信息",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="修改人",
                    ),
                ),
            ],
            options={
                "verbose_name": "送审内容修改人",
                "verbose_name_plural": "送审内容修改人",
                "ordering": ["item", "round", "at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("item", "round", "user", "kind"),
                        name="unique_contribution",
                    )
                ],
            },
        ),
        migrations.RunPython(count_publications, migrations.RunPython.noop),
        migrations.RunPython(record_contributions, migrations.RunPython.noop),
    ]
