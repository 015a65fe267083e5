"""The portal archive (disclosure/archive/; manage.py export_archive and
import_archive): a round trip through a new, empty installation keeps every
row of every archived model, every file and every address; a damaged,
foreign or newer archive, or a database that holds data already, is refused
with nothing written.

The round trips flush the database, so they are transactional tests (on
SQLite and, with DATABASE_URL, on PostgreSQL, where the audit table's trigger
refuses UPDATE and DELETE).
"""

import datetime
import hashlib
import importlib
import io
import json
import os
import zipfile
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import (
    CalendarDay,
    CalendarYear,
    Channel,
    Department,
    Membership,
    TopicCategory,
)
from disclosure import archive, workflow
from disclosure.models import Attachment, AuditEntry, Item, PublicRecord
from disclosure.oversight.models import AnnualReport, ReminderLog, SelfInspectionReport
from tests import factories

User = get_user_model()


# --- helpers ---------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """Attachments go to a fresh directory; ``media.switch()`` points the
    storage at another, empty one (the new installation's)."""
    state = SimpleNamespace(root=tmp_path / "media-old")

    def switch():
        state.root = tmp_path / "media-new"
        settings.MEDIA_ROOT = state.root

    settings.MEDIA_ROOT = state.root
    state.switch = switch
    return state


def media_files(root) -> list[str]:
    if not root.exists():
        return []
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )


def export(path) -> str:
    out = io.StringIO()
    call_command("export_archive", str(path), stdout=out)
    return out.getvalue()


def import_(path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_archive", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path) -> tuple[str, str]:
    """Import ``path`` expecting a refusal: (the message, the listed details)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_archive", str(path), stdout=io.StringIO(), stderr=err)
    return str(excinfo.value), err.getvalue()


def rewrite(source, target, *, replace=None, drop=(), add=None, manifest=None):
    """A copy of the zip ``source`` with members replaced, dropped or added,
    and the manifest changed by ``manifest(dict)``; checksums untouched."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info)
            if info.filename == archive.MANIFEST_NAME and manifest is not None:
                content = json.loads(data)
                manifest(content)
                data = json.dumps(content, ensure_ascii=False).encode()
            new.writestr(info, replace.get(info.filename, data))
        for name, data in add.items():
            new.writestr(name, data)
    return target


def members(path, prefix) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [name for name in zf.namelist() if name.startswith(prefix)]


def snapshot() -> dict:
    """Every row of every archived model, field by field: the archived
    fields of users (matched by username: ids are not kept; the date joined
    is checked apart, an account that existed before an import keeps its
    own), groups by name, all other rows as Django serializes them, references to users as
    usernames."""
    rows = {}
    for model in archive.archived_models():
        label = model._meta.label_lower
        if model is User:
            rows[label] = sorted(
                (
                    user.username,
                    user.first_name,
                    user.last_name,
                    user.email,
                    user.is_active,
                    tuple(sorted(group.name for group in user.groups.all())),
                )
                for user in User.objects.exclude(username="citizen")
            )
        elif model is Group:
            rows[label] = sorted(
                (group.name, tuple(sorted(p.codename for p in group.permissions.all())))
                for group in Group.objects.all()
            )
        else:
            rows[label] = serializers.serialize(
                "python",
                model._base_manager.order_by("pk"),
                use_natural_foreign_keys=True,
            )
    return rows


def attachment_bytes() -> dict[str, bytes]:
    """Every stored file: the originals and the public copies without
    document metadata."""
    stored = {}
    for attachment in Attachment.objects.all():
        stored[attachment.token] = attachment.file.open("rb").read()
        if attachment.public_file:
            stored[f"{attachment.token}.public"] = attachment.public_file.open(
                "rb"
            ).read()
    return stored


def fresh_installation() -> None:
    """What a new installation holds after ``migrate``: the rows the
    migrations load (reference lists, roles) and nothing else, i.e. the test
    database as created, which the test runner keeps for serialized
    rollbacks (conftest.py turns those on for transactional tests)."""
    contents = getattr(connection, "_test_serialized_contents", None)
    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        inhibit_post_migrate=contents is not None,
    )
    if contents is not None:
        connection.creation.deserialize_db_from_string(contents)
    else:
        # The runner's copy is gone: once a Playwright browser test has run in
        # this process, Django hands out a new connection object without it
        # (and serialized rollbacks silently stop). Load what the data
        # migrations of the reference lists and the roles load.
        seed = importlib.import_module("catalog.migrations.0002_seed_reference_data")
        seed.seed(django_apps, None)
        roles = importlib.import_module(
            "disclosure.migrations.0002_roles_and_audit_guard"
        )
        roles.create_groups(django_apps, None)


@pytest.fixture
def installed(transactional_db):
    """A transactional test's database as ``migrate`` leaves it, even when
    the test runner could not restore it (see :func:`fresh_installation`)."""
    if not (TopicCategory.objects.exists() and Group.objects.exists()):
        fresh_installation()


def build_portal():
    """Data of every kind, made the way the portal makes it: departments
    (a tree), roles, a catalog entry with channels, reference lists changed
    locally, items in many states with attachments, revisions, a change
    note, audit entries, index serials and the oversight reports."""
    agri = factories.DepartmentFactory(
        code="agri", name="区农业农村局", publisher_code="000014349"
    )
    station = factories.DepartmentFactory(
        code="agri-station",
        name="区农技推广站",
        parent=agri,
        kind=Department.Kind.OFFICE,
        publisher_code="",
    )
    finance = factories.require_head_signoff(
        factories.DepartmentFactory(code="finance", name="区财政局")
    )
    clerk = factories.clerk_of(agri, "clerk")
    clerk.first_name, clerk.last_name = "信息", "王"
    clerk.save(update_fields=["first_name", "last_name"])
    Membership.objects.create(user=clerk, department=station)
    finance_clerk = factories.clerk_of(finance, "finance_clerk")
    head = factories.head_of(finance, "head")
    reviewer = factories.reviewer("reviewer")
    admin = factories.office_admin("admin")
    factories.UserFactory(username="citizen")  # named by no row: not archived

    # Reference lists as edited locally: they travel with the archive.
    farming = TopicCategory.objects.get(code="0601")
    farming.name = "农业（含高标准农田）"
    farming.save()
    rural = TopicCategory.objects.create(
        code="0699", name="乡村振兴", parent=farming.parent, order=99
    )
    CalendarYear.objects.create(year=2030, source="本地录入")
    CalendarDay.objects.create(
        date=datetime.date(2030, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦"
    )
    entry = factories.CatalogEntryFactory(
        responsible_department=agri, level1="惠农补贴", level2="耕地地力保护补贴"
    )
    entry.channels.set(Channel.objects.order_by("pk")[:3])

    item = factories.draft_item(clerk, agri, catalog_entry=entry, topic=rural)
    factories.attach_pdf(item, clerk, "补贴名单.pdf", "List")
    item = workflow.submit(item=item, by=clerk)
    item = workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    item = workflow.publish(item=item, by=reviewer)
    item = workflow.update_item(
        item=item,
        by=clerk,
        data={
            "title": "关于2026年耕地地力保护补贴发放的公示（更正）",
            "is_major_change": True,
            "change_note": "更正了第3户的补贴金额。",
        },
        expected_version=item.version,
    )
    factories.attach_pdf(item, clerk, "补贴名单（更正）.pdf", "Corrected")
    item = workflow.submit(item=item, by=clerk)
    item = workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    published = workflow.publish(item=item, by=reviewer)

    common = {"creator": clerk, "reviewer": reviewer, "admin": admin}
    withdrawn = factories.item_in_state(
        "withdrawn",
        department=agri,
        attachment=True,
        title="关于春耕物资的通知",
        **common,
    )
    factories.item_in_state("removed", department=agri, title="错发的信息", **common)
    factories.item_in_state(
        "scheduled", department=agri, title="定时发布的信息", **common
    )
    factories.item_in_state(
        "returned",
        department=finance,
        creator=finance_clerk,
        reviewer=reviewer,
        head=head,
        title="2026年部门预算",
    )
    draft = factories.draft_item(clerk, station, title="农技培训安排")
    detached = factories.attach_pdf(draft, clerk, "旧稿.pdf", "Old")
    workflow.remove_attachment(attachment=detached, by=clerk)

    AnnualReport.objects.create(
        organ=agri,
        year=2025,
        overview="2025年，本区认真贯彻落实《政府信息公开条例》。",
        table3={"new": [1, 2, 0, 0, 0, 0, 3]},
        created_by=admin,
        updated_by=admin,
    )
    SelfInspectionReport.objects.create(
        title="2026年第一季度自查报告",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        created_by=admin,
        updated_by=admin,
    )
    ReminderLog.objects.create(
        recipient=clerk,
        sent_on=datetime.date(2026, 3, 2),
        kind=ReminderLog.Kind.CLERK,
        item_count=2,
    )
    return SimpleNamespace(published=published, withdrawn=withdrawn, rural=rural)


def export_reference_data(tmp_path):
    """An archive of a new installation (reference lists and roles only)."""
    path = tmp_path / "reference.zip"
    export(path)
    return path


def published_with_attachments(count=2):
    dept = factories.DepartmentFactory()
    clerk, reviewer = factories.clerk_of(dept), factories.reviewer()
    item = factories.draft_item(clerk, dept)
    for number in range(count):
        factories.attach_pdf(item, clerk, f"附件{number}.pdf", f"File {number}")
    item = workflow.submit(item=item, by=clerk)
    item = workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    return workflow.publish(item=item, by=reviewer)


# --- the round trip -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_a_new_installation_keeps_every_row_file_and_address(
    installed, media, tmp_path, client
):
    portal = build_portal()
    before = snapshot()
    files_before = attachment_bytes()
    joined = {
        user.username: user.date_joined
        for user in User.objects.exclude(username__in=["reviewer", "citizen"])
    }
    originals = Attachment.objects.count()
    assert originals == 4
    assert before["disclosure.auditentry"]
    assert before["disclosure.changenote"]
    path = tmp_path / "portal.zip"

    output = export(path)

    assert hashlib.sha256(path.read_bytes()).hexdigest() in output
    fresh_installation()
    media.switch()
    # An account made on the new installation before the import is kept.
    User.objects.create_user(
        "reviewer", "reviewer@example.gov.cn", password="new-installation-pass"
    )
    assert not Item.objects.exists()

    out, err = import_(path)

    assert "新建用户 4 个" in out
    assert "已有同名用户 1 个" in out
    assert err == ""
    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert attachment_bytes() == files_before
    for attachment in Attachment.objects.all():
        content = attachment.file.open("rb").read()
        assert hashlib.sha256(content).hexdigest() == attachment.sha256
    assert len(media_files(media.root)) == len(files_before)

    # Passwords never travel: restored accounts cannot log in until one is set.
    assert not User.objects.get(username="clerk").has_usable_password()
    assert User.objects.get(username="reviewer").check_password("new-installation-pass")
    assert not User.objects.filter(username="citizen").exists()
    assert {
        user.username: user.date_joined
        for user in User.objects.exclude(username="reviewer")
    } == joined

    # The public sees the same pages at the same addresses.
    page = client.get(portal.published.get_public_url())
    assert page.status_code == 200
    assert "耕地地力保护补贴发放的公示（更正）" in page.content.decode()
    assert "更正了第3户的补贴金额。" in page.content.decode()
    attachment = Attachment.objects.filter(
        item_id=portal.published.pk, is_published=True
    ).first()
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    public_key = (
        f"{attachment.token}.public" if attachment.public_file else attachment.token
    )
    assert b"".join(download.streaming_content) == files_before[public_key]
    found = client.get(reverse("disclosure:items"), {"q": "耕地地力"})
    assert portal.published.get_public_url() in found.content.decode()
    assert TopicCategory.objects.get(pk=portal.rural.pk).name == "乡村振兴"

    # Work goes on: new rows get new keys, index numbers continue the series.
    clerk = User.objects.get(username="clerk")
    reviewer = User.objects.get(username="reviewer")
    item = factories.draft_item(clerk, Department.objects.get(code="agri"))
    assert item.pk > max(row["pk"] for row in before["disclosure.item"])
    item = workflow.submit(item=item, by=clerk)
    item = workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    item = workflow.publish(item=item, by=reviewer)
    numbers = set(PublicRecord.objects.values_list("index_number", flat=True))
    assert len(numbers) == PublicRecord.objects.count()
    assert AuditEntry.objects.filter(item=item).count() == 4


@pytest.mark.django_db
def test_the_archive_describes_itself_and_holds_no_password(media, tmp_path):
    build_portal()
    path = tmp_path / "portal.zip"

    export(path)

    assert os.stat(path).st_mode & 0o777 == 0o600
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.testzip() is None
        names = set(zf.namelist())
        users = json.loads(
            b"".join(zf.read(name) for name in sorted(names) if "_auth.user_" in name)
        )
        everything = b"".join(
            zf.read(name) for name in names if name.startswith("data/")
        )
        digests = {
            name: hashlib.sha256(zf.read(name)).hexdigest()
            for name in names - {"manifest.json"}
        }
    assert manifest["format"] == archive.FORMAT_NAME
    assert manifest["format_version"] == archive.FORMAT_VERSION
    assert "0002_roles_and_audit_guard" in manifest["migrations"]["disclosure"]
    labels = [entry["label"] for entry in manifest["models"]]
    assert labels == [model._meta.label_lower for model in archive.archived_models()]
    for entry in manifest["models"]:
        model = django_apps.get_model(entry["label"])
        if model not in (User, Group):
            assert entry["rows"] == model._base_manager.count(), entry["label"]
    assert names == {"manifest.json", *manifest["contents"]}
    assert digests == {
        name: content["sha256"] for name, content in manifest["contents"].items()
    }
    for attachment in Attachment.objects.all():
        assert f"files/{attachment.file.name}" in names
    assert sorted(user["fields"]["username"] for user in users) == [
        "admin",
        "clerk",
        "finance_clerk",
        "head",
        "reviewer",
    ]
    assert all("password" not in user["fields"] for user in users)
    assert b"pbkdf2" not in everything
    assert b"argon2" not in everything


def test_archived_models_cover_both_apps_in_dependency_order():
    models = archive.archived_models()
    for label in archive.ARCHIVED_APPS:
        for model in django_apps.get_app_config(label).get_models():
            if model._meta.label_lower in archive.UNARCHIVED_MODELS:
                assert model not in models, model
            else:
                assert model in models, model
    for position, model in enumerate(models):
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            target = field.related_model
            if field.is_relation and target in models and target is not model:
                assert models.index(target) < position, (model, field.name)


@pytest.mark.django_db
def test_export_reads_related_rows_in_batches_not_one_query_per_row(media, tmp_path):
    dept = factories.DepartmentFactory()
    clerk = factories.clerk_of(dept)
    reviewer = factories.reviewer()

    def queries_for_export(name):
        with CaptureQueriesContext(connection) as queries:
            export(tmp_path / name)
        return len(queries)

    def add_items(count):
        for _ in range(count):
            factories.item_in_state(
                "published",
                department=dept,
                creator=clerk,
                reviewer=reviewer,
                attachment=True,
            )

    add_items(2)
    few = queries_for_export("few.zip")
    add_items(4)
    assert queries_for_export("more.zip") == few


# --- refusals -------------------------------------------------------------------------


def _tamper_attachment(path, target):
    name = members(path, "files/")[0]
    with zipfile.ZipFile(path) as zf:
        data = zf.read(name)
    return rewrite(path, target, replace={name: data.replace(b"Hello", b"Hallo")}), name


def _tamper_audit(path, target):
    name = next(n for n in members(path, "data/") if "auditentry" in n)
    with zipfile.ZipFile(path) as zf:
        data = zf.read(name)
    return rewrite(
        path, target, replace={name: data.replace(b"publish", b"approve")}
    ), name


def _add_unlisted(path, target):
    name = "files/attachments/1/extra.pdf"
    return rewrite(path, target, add={name: factories.minimal_pdf()}), name


def _drop_member(path, target):
    name = next(n for n in members(path, "data/") if "revision" in n)
    return rewrite(path, target, drop=[name]), name


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "tamper", [_tamper_attachment, _tamper_audit, _add_unlisted, _drop_member]
)
def test_a_damaged_archive_is_refused_naming_the_file_with_nothing_written(
    installed, media, tmp_path, tamper
):
    dept = factories.DepartmentFactory()
    factories.item_in_state(
        "published",
        department=dept,
        creator=factories.clerk_of(dept),
        reviewer=factories.reviewer(),
        attachment=True,
    )
    path = tmp_path / "portal.zip"
    export(path)
    fresh_installation()
    media.switch()
    empty = snapshot()
    damaged, name = tamper(path, tmp_path / "damaged.zip")

    message, details = refused(damaged)

    assert "归档校验失败" in message
    assert name in details
    assert snapshot() == empty
    assert media_files(media.root) == []
    import_(path)  # the undamaged archive goes in
    assert Item.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_files_already_in_storage_are_reused_or_kept_apart(installed, media, tmp_path):
    published_with_attachments(2)
    files = attachment_bytes()
    kept, replaced = Attachment.objects.order_by("pk").values_list("file", flat=True)
    path = tmp_path / "portal.zip"
    export(path)
    fresh_installation()
    # The old media directory stays: one file as it was, one changed since.
    (media.root / replaced).write_bytes(b"another file of the same name")

    out, _err = import_(path)

    assert "1 个文件" in out
    names = list(Attachment.objects.order_by("pk").values_list("file", flat=True))
    assert names[0] == kept
    assert names[1] != replaced
    assert names[1].startswith(replaced.removesuffix(".pdf"))
    assert attachment_bytes() == files
    assert (media.root / replaced).read_bytes() == b"another file of the same name"


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_files_were_written_removes_them_again(
    installed, media, tmp_path
):
    published_with_attachments(2)
    path = tmp_path / "portal.zip"
    export(path)
    fresh_installation()
    media.switch()
    empty = snapshot()

    def miscount(manifest):
        entry = next(
            e for e in manifest["models"] if e["label"] == "disclosure.auditentry"
        )
        entry["rows"] += 1

    message, _details = refused(
        rewrite(path, tmp_path / "miscounted.zip", manifest=miscount)
    )

    assert "disclosure.auditentry 的行数与清单不符" in message
    assert snapshot() == empty
    assert media_files(media.root) == []


@pytest.mark.django_db
def test_import_into_a_database_with_data_is_refused_and_changes_nothing(
    media, tmp_path
):
    dept = factories.DepartmentFactory()
    factories.item_in_state(
        "published",
        department=dept,
        creator=factories.clerk_of(dept),
        reviewer=factories.reviewer(),
        attachment=True,
    )
    path = tmp_path / "portal.zip"
    export(path)
    before, files = snapshot(), media_files(media.root)

    message, details = refused(path)

    assert "只能导入新建的空数据库" in message
    assert "disclosure.item: 1" in details
    assert snapshot() == before
    assert media_files(media.root) == files


@pytest.mark.django_db
def test_an_archive_of_a_newer_format_version_is_refused(media, tmp_path):
    path = export_reference_data(tmp_path)
    newer = rewrite(
        path,
        tmp_path / "newer.zip",
        manifest=lambda m: m.update(format_version=archive.FORMAT_VERSION + 1),
    )

    message, _details = refused(newer)

    assert f"归档格式版本 {archive.FORMAT_VERSION + 1}" in message
    assert "请先升级门户" in message


@pytest.mark.django_db
def test_an_archive_from_a_newer_database_schema_is_refused(media, tmp_path):
    path = export_reference_data(tmp_path)
    newer = rewrite(
        path,
        tmp_path / "newer.zip",
        manifest=lambda m: m["migrations"]["disclosure"].append("9999_future"),
    )

    message, details = refused(newer)

    assert "运行 migrate" in message
    assert "disclosure.9999_future" in details


@pytest.mark.django_db
def test_an_archive_of_an_older_schema_is_refused_unless_allowed(media, tmp_path):
    path = export_reference_data(tmp_path)
    older = rewrite(
        path,
        tmp_path / "older.zip",
        manifest=lambda m: m["migrations"]["disclosure"].remove(
            "0003_publicrecord_search_tokens"
        ),
    )
    topics = TopicCategory.objects.count()

    message, details = refused(older)

    assert "--allow-older-schema" in message
    assert "disclosure.0003_publicrecord_search_tokens" in details

    err = io.StringIO()
    call_command(
        "import_archive",
        str(older),
        allow_older_schema=True,
        stdout=io.StringIO(),
        stderr=err,
    )

    assert "disclosure.0003_publicrecord_search_tokens" in err.getvalue()
    assert TopicCategory.objects.count() == topics


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.4 not a zip", "不是有效的 zip 文件"),
        ("zip-without-manifest", "缺少 manifest.json"),
        ("zip-foreign-manifest", "格式名不是"),
    ],
)
def test_a_file_that_is_no_portal_archive_is_refused(tmp_path, content, expected):
    path = tmp_path / "file.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("readme.txt", "hello")
            if content == "zip-foreign-manifest":
                zf.writestr("manifest.json", json.dumps({"format": "other"}))

    message, _details = refused(path)

    assert expected in message


@pytest.mark.django_db
def test_export_never_overwrites_a_file(tmp_path):
    path = tmp_path / "portal.zip"
    path.write_bytes(b"yesterday's archive")

    with pytest.raises(CommandError, match="已存在"):
        export(path)

    assert path.read_bytes() == b"yesterday's archive"
    assert [p.name for p in tmp_path.iterdir()] == ["portal.zip"]
