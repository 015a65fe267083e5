"""The portal archive: all disclosure data of an installation in one
self-describing zip file, for moving to another installation and for long-term
preservation (``manage.py export_archive`` / ``manage.py import_archive``;
docs/operations.md says when to use it and when a database backup is better).

Layout of the zip file::

    manifest.json                       what is inside (see below)
    data/NN_<app>.<model>_PPPP.json     the rows, Django's JSON serialization,
                                        one or more parts per model (at most
                                        ROWS_PER_PART rows each), models in
                                        dependency order
    files/<storage name>                every file a FileField of those rows
                                        names (the attachments as uploaded),
                                        under its name in the field's storage
                                        (default_storage for attachments)

``manifest.json`` holds the format name and version, when and by what the
archive was made, the migrations applied per app, the models in load order
with their row counts and parts, and the SHA-256 and size of every other
member of the zip. An import verifies all of them before it writes anything.
The checksums detect damage and tampering with a member; whoever can rewrite
the manifest as well is not stopped by them, so keep the SHA-256 of the whole
archive that ``export_archive`` prints (or sign the file) apart from it.

What is in it: every row of every model of the ``catalog`` and ``disclosure``
apps (found at run time: models added later are archived too), the groups,
and the user accounts the rows refer to or that belong to a group. Of a user
only the username, names, e-mail address, whether the account is active, the
date joined and the groups are kept: never a password hash, the user's own
permissions or a staff/superuser flag. References to users are written as usernames (Django's
natural keys), so accounts that already exist where the archive is imported are
matched by username and left as they are; the others are created with an
unusable password (they set one with "forgot password" or an administrator
does).

Primary keys are kept, so ``/items/<pk>/`` and every other address stays the
same. That is why an import needs a database without disclosure data; the
reference lists that migrations load into every new database (topics,
document types, channels, the holiday calendar: :data:`REFERENCE_MODELS`) are
replaced by the archive's rows, in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import posixpath
import secrets
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.core.files import File
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_NAME = "gov-disclosure-portal-archive"
#: Raise when the layout changes in a way an older portal cannot read.
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATA_DIR = "data/"
FILES_DIR = "files/"
ROWS_PER_PART = 5000
ARCHIVED_APPS = ("catalog", "disclosure")
#: Reference lists loaded by migrations (catalog 0002): a new database holds
#: them already; an import replaces them with the archive's rows.
REFERENCE_MODELS = frozenset(
    {
        "catalog.topiccategory",
        "catalog.documenttype",
        "catalog.channel",
        "catalog.calendarday",
        "catalog.calendaryear",
    }
)
#: The user fields archived besides the username (those the user model has).
USER_FIELDS = ("first_name", "last_name", "email", "is_active", "date_joined")

_CHUNK_BYTES = 1024 * 1024


class ArchiveError(Exception):
    """An archive that cannot be written or imported. ``message`` is for the
    operator; ``details`` lists the members or rows concerned."""

    def __init__(self, message: str, details: Iterable[str] = ()):
        super().__init__(message)
        self.message = message
        self.details = list(details)


@dataclass
class ExportResult:
    path: Path
    sha256: str
    size: int
    manifest: dict


@dataclass
class ImportResult:
    rows: dict[str, int] = field(default_factory=dict)
    users_created: int = 0
    users_kept: int = 0
    files_written: int = 0
    warnings: list[str] = field(default_factory=list)


# --- what is archived --------------------------------------------------------------


def archived_models() -> list[type[models.Model]]:
    """Groups, the user model, then every concrete model of
    :data:`ARCHIVED_APPS` in dependency order (a model after the models its
    foreign keys and many-to-many fields point to)."""
    user_model = get_user_model()
    app_models = [
        model
        for label in ARCHIVED_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed and not model._meta.proxy and model is not user_model
    ]
    return [Group, user_model, *_in_dependency_order(app_models)]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _forward_relations(model: type[models.Model]):
    return [
        f for f in (*model._meta.fields, *model._meta.many_to_many) if f.is_relation
    ]


def _in_dependency_order(candidates: list[type[models.Model]]) -> list:
    """The models in their apps' order, each moved after the models it
    refers to (a cycle, if any, is broken where it is met: foreign keys are
    checked at commit, so such models load in any order)."""
    ordered: list[type[models.Model]] = []
    visiting: set[type[models.Model]] = set()

    def visit(model):
        if model in ordered or model in visiting:
            return
        visiting.add(model)
        for f in _forward_relations(model):
            if f.related_model in candidates and f.related_model is not model:
                visit(f.related_model)
        visiting.discard(model)
        ordered.append(model)

    for model in candidates:
        visit(model)
    return ordered


def _unarchived_references(archived: list[type[models.Model]]) -> list[str]:
    """Relations to rows the archive would not hold (a model outside it
    without natural keys): such an archive could not be imported."""
    problems = []
    for model in archived:
        for f in _forward_relations(model):
            target = f.related_model
            if target not in archived and not hasattr(target, "natural_key"):
                problems.append(f"{_label(model)}.{f.name} → {_label(target)}")
    return problems


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.fields if isinstance(f, models.FileField)]


def _archived_user_ids(archived: list[type[models.Model]], using: str) -> set:
    user_model = get_user_model()
    ids = set(
        user_model._base_manager.using(using)
        .filter(groups__isnull=False)
        .values_list("pk", flat=True)
    )
    for model in archived:
        if model in (Group, user_model):
            continue
        for f in _forward_relations(model):
            if f.related_model is user_model:
                ids.update(
                    model._base_manager.using(using)
                    .filter(**{f"{f.name}__isnull": False})
                    .values_list(f.name, flat=True)
                    .distinct()
                )
    return ids


# --- export ------------------------------------------------------------------------------


class _PreciseJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; an archive
    keeps them to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _serializer_options(model: type[models.Model]) -> dict:
    options = {
        "cls": _PreciseJSONEncoder,
        "use_natural_foreign_keys": True,
        "use_natural_primary_keys": False,
    }
    user_model = get_user_model()
    if model is Group:
        options["use_natural_primary_keys"] = True
    elif model is user_model:
        options["use_natural_primary_keys"] = True
        present = {f.name for f in user_model._meta.get_fields()}
        options["fields"] = [
            user_model.USERNAME_FIELD,
            *(name for name in USER_FIELDS if name in present),
            "groups",
        ]
    return options


def _row_batches(model, using: str, user_ids: set):
    """The rows of ``model`` in primary-key order, ROWS_PER_PART at a time,
    with what the serializer reads of related rows fetched alongside."""
    queryset = model._base_manager.using(using).all()
    if model is get_user_model():
        queryset = queryset.filter(pk__in=user_ids)
    natural = [
        f.name
        for f in model._meta.fields
        if f.is_relation and hasattr(f.related_model, "natural_key")
    ]
    if natural:
        queryset = queryset.select_related(*natural)
    many = [f.name for f in model._meta.many_to_many]
    if model is Group:
        many = ["permissions__content_type"]
    elif model is get_user_model():
        many = ["groups"]
    if many:
        queryset = queryset.prefetch_related(*many)
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        batch = list(page[:ROWS_PER_PART])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _zip_info(name: str, when: datetime.datetime, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = compress
    info.external_attr = 0o600 << 16
    return info


def _migration_state(using: str) -> dict[str, list[str]]:
    applied = defaultdict(list)
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        applied[app_label].append(name)
    return {app_label: sorted(names) for app_label, names in sorted(applied.items())}


def _portal_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gov-disclosure-portal")
    except PackageNotFoundError:
        return ""


@contextmanager
def _consistent_snapshot(using: str):
    """One transaction for the whole export, so the archive is one moment of
    the database even while the portal keeps working (PostgreSQL: REPEATABLE
    READ; SQLite: the transaction holds the database)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        yield


def export_archive(
    path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] | None = None,
) -> ExportResult:
    """Write the archive to ``path`` (a new file; written beside it under a
    temporary name and renamed when complete, readable by its owner only)."""
    path = Path(path)
    if path.exists():
        raise ArchiveError(_("%(path)s 已存在，不会覆盖它。") % {"path": path})
    if not path.parent.is_dir():
        raise ArchiveError(_("目录 %(dir)s 不存在。") % {"dir": path.parent})
    archived = archived_models()
    problems = _unarchived_references(archived)
    if problems:
        raise ArchiveError(
            _("有数据引用了不在归档范围内的表，归档将不完整："), problems
        )
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            zipfile.ZipFile(raw, "w", allowZip64=True) as archive,
            _consistent_snapshot(using),
        ):
            manifest = _write_contents(archive, archived, using, progress)
        digest, size = _file_sha256(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ExportResult(path=path, sha256=digest, size=size, manifest=manifest)


def _write_contents(archive, archived, using, progress) -> dict:
    now = timezone.now()
    local_now = timezone.localtime(now)
    contents: dict[str, dict] = {}
    model_entries = []
    media: dict[str, object] = {}  # stored name → the storage holding it
    user_ids = _archived_user_ids(archived, using)
    for order, model in enumerate(archived, start=1):
        label = _label(model)
        options = _serializer_options(model)
        file_fields = _file_fields(model)
        parts, rows = [], 0
        for number, batch in enumerate(_row_batches(model, using, user_ids), start=1):
            name = f"{DATA_DIR}{order:02d}_{label}_{number:04d}.json"
            payload = serializers.serialize("json", batch, indent=1, **options)
            _write_member(archive, name, payload.encode(), local_now, contents)
            parts.append(name)
            rows += len(batch)
            for row in batch:
                for file_field in file_fields:
                    stored = getattr(row, file_field.attname).name
                    if stored:
                        media[stored] = file_field.storage
        if not parts:
            name = f"{DATA_DIR}{order:02d}_{label}_0001.json"
            _write_member(archive, name, b"[]", local_now, contents)
            parts.append(name)
        model_entries.append({"label": label, "rows": rows, "parts": parts})
        if progress:
            progress(f"{label}: {rows}")
    for stored in sorted(media):
        _copy_media(archive, media[stored], stored, local_now, contents)
    if progress and media:
        progress(_("文件：%(count)d 个") % {"count": len(media)})
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "generator": {
            "portal": _portal_version(),
            "django": django.get_version(),
            "database": connections[using].vendor,
        },
        "migrations": _migration_state(using),
        "models": model_entries,
        "users": _(
            "用户只含用户名、姓名、电子邮箱、是否启用、注册时间和所属组；"
            "不含密码，导入后须重设密码。"
        ),
        "contents": contents,
    }
    archive.writestr(
        _zip_info(MANIFEST_NAME, local_now, zipfile.ZIP_DEFLATED),
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False),
    )
    return manifest


def _write_member(archive, name, payload: bytes, when, contents) -> None:
    archive.writestr(_zip_info(name, when, zipfile.ZIP_DEFLATED), payload)
    contents[name] = {
        "sha256": hashlib.sha256(payload).hexdigest(),
        "size": len(payload),
    }


def _copy_media(archive, storage, stored: str, when, contents) -> None:
    member = FILES_DIR + stored
    digest, size = hashlib.sha256(), 0
    try:
        source = storage.open(stored, "rb")
    except (FileNotFoundError, OSError) as error:
        raise ArchiveError(
            _("文件 %(name)s 在存储中找不到，无法归档。") % {"name": stored}
        ) from error
    # Attachments are PDF, OOXML, JPEG…: compressed already, stored as they are.
    info = _zip_info(member, when, zipfile.ZIP_STORED)
    with source, archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(_CHUNK_BYTES):
            target.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    contents[member] = {"sha256": digest.hexdigest(), "size": size}


def _file_sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- import ---------------------------------------------------------------------------------


def import_archive(
    path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] | None = None,
    allow_older_schema: bool = False,
) -> ImportResult:
    """Restore an archive into a database without disclosure data, all or
    nothing: the archive is checked completely (format, version, every
    checksum, the models, the migrations) before anything is written; the rows
    and files are then written in one transaction, and files written before a
    failure are deleted again.

    An archive made before migrations of the portal's own apps that this
    database has applied is refused unless ``allow_older_schema``: the data
    migrations among them ran on empty tables here and would never touch the
    imported rows. The safe way is to import into the release that made the
    archive and then upgrade."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ArchiveError(_("找不到文件 %(path)s。") % {"path": path}) from error
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(
            _("%(path)s 不是门户归档文件（不是有效的 zip 文件）。") % {"path": path}
        ) from error
    with archive:
        manifest = _read_manifest(archive)
        _verify_contents(archive, manifest)
        plan = _load_plan(manifest)
        warnings = _check_migrations(manifest, plan, using, allow_older_schema)
        importer = _Importer(archive, manifest, using, progress)
        importer.result.warnings += warnings
        importer.run(plan)
    return importer.result


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    except KeyError as error:
        raise ArchiveError(
            _("这不是门户归档文件：缺少 %(name)s。") % {"name": MANIFEST_NAME}
        ) from error
    except (ValueError, zipfile.BadZipFile) as error:
        raise ArchiveError(
            _("归档清单 %(name)s 已损坏，无法读取。") % {"name": MANIFEST_NAME}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ArchiveError(
            _("这不是门户归档文件（清单中的格式名不是 %(format)s）。")
            % {"format": FORMAT_NAME}
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ArchiveError(
            _("归档清单中的格式版本无效：%(version)r。") % {"version": version}
        )
    if version > FORMAT_VERSION:
        raise ArchiveError(
            _(
                "这个归档由较新版本的门户制作（归档格式版本 %(version)d），"
                "本系统只能读取格式版本 %(supported)d 及以下的归档。请先升级门户再导入。"
            )
            % {"version": version, "supported": FORMAT_VERSION}
        )
    for key, kind in (("models", list), ("contents", dict), ("migrations", dict)):
        if not isinstance(manifest.get(key), kind):
            raise ArchiveError(
                _("归档清单缺少“%(key)s”一项或格式不对。") % {"key": key}
            )
    return manifest


def _verify_contents(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Every member listed, present, of the listed size and SHA-256, with a
    safe name; no member unlisted."""
    contents = manifest["contents"]
    problems = []
    members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    for name in sorted(set(members) - set(contents) - {MANIFEST_NAME}):
        problems.append(_("%(name)s：清单中没有这个文件") % {"name": name})
    for name, expected in sorted(contents.items()):
        if not _safe_member_name(name) or not isinstance(expected, dict):
            problems.append(_("%(name)s：清单中的条目无效") % {"name": name})
            continue
        info = members.get(name)
        if info is None:
            problems.append(_("%(name)s：归档中缺少这个文件") % {"name": name})
            continue
        digest, size, limit = hashlib.sha256(), 0, expected.get("size")
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK_BYTES):
                    digest.update(chunk)
                    size += len(chunk)
                    if not isinstance(limit, int) or size > limit:
                        break  # longer than listed: no need to inflate the rest
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            problems.append(
                _("%(name)s：无法读取（%(error)s）") % {"name": name, "error": error}
            )
            continue
        if size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
            problems.append(
                _("%(name)s：校验和不符，文件已损坏或被改动") % {"name": name}
            )
    if problems:
        raise ArchiveError(
            _("归档校验失败，未写入任何数据（%(count)d 处问题）：")
            % {"count": len(problems)},
            problems,
        )


def _safe_member_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        name.startswith((DATA_DIR, FILES_DIR))
        and not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in name
        and posixpath.normpath(name) == name
    )


def _load_plan(manifest: dict) -> list[tuple[dict, type[models.Model]]]:
    """(manifest entry, model) in the archive's load order. An archive with a
    model this portal does not have is refused."""
    archived_here = {_label(model): model for model in archived_models()}
    plan, unknown = [], []
    for entry in manifest["models"]:
        label = entry.get("label") if isinstance(entry, dict) else None
        if label not in archived_here:
            unknown.append(str(label))
            continue
        parts = entry.get("parts")
        if not isinstance(parts, list) or not isinstance(entry.get("rows"), int):
            raise ArchiveError(_("清单中 %(label)s 一项无效。") % {"label": label})
        for part in parts:
            if part not in manifest["contents"] or not part.startswith(DATA_DIR):
                raise ArchiveError(
                    _("清单列出的数据文件 %(name)s 不在校验清单中。") % {"name": part}
                )
        plan.append((entry, archived_here[label]))
    if unknown:
        raise ArchiveError(
            _("归档中有本系统没有的数据表（可能来自较新版本的门户）："), unknown
        )
    return plan


def _check_migrations(manifest, plan, using, allow_older) -> list[str]:
    """Refuse an archive made with migrations this database lacks (a newer
    portal). Refuse one made before migrations of :data:`ARCHIVED_APPS` this
    database has, unless ``allow_older`` (then: a warning); migrations of
    Django's own apps made since (a Django upgrade) only warn."""
    here = _migration_state(using)
    app_labels = sorted({model._meta.app_label for _entry, model in plan})
    archived = manifest["migrations"]
    newer = [
        f"{app_label}.{name}"
        for app_label in app_labels
        for name in archived.get(app_label, [])
        if name not in here.get(app_label, [])
    ]
    if newer:
        raise ArchiveError(
            _(
                "归档来自数据库结构较新的门户：本数据库没有应用下列迁移。"
                "请先升级门户并运行 migrate，再导入。"
            ),
            newer,
        )
    older = [
        f"{app_label}.{name}"
        for app_label in app_labels
        for name in here.get(app_label, [])
        if name not in archived.get(app_label, [])
    ]
    if not older:
        return []
    if not allow_older and any(
        name.split(".", 1)[0] in ARCHIVED_APPS for name in older
    ):
        raise ArchiveError(
            _(
                "归档由数据库结构较旧的门户制作：本数据库多出下列迁移，其中的数据迁移"
                "不会作用于导入的数据。请用制作归档的门户版本导入后再升级；"
                "确需直接导入时加 --allow-older-schema（新增字段取默认值）。"
            ),
            older,
        )
    return [
        _("归档制作时尚未应用这些迁移，其后新增的字段取默认值：%(names)s")
        % {"names": "、".join(older)}
    ]


class _Importer:
    def __init__(self, archive, manifest, using, progress):
        self.archive = archive
        self.manifest = manifest
        self.using = using
        self.progress = progress
        self.result = ImportResult()
        self.user_model = get_user_model()
        self.user_pks: dict[str, int] = {}
        self.media_names: dict[str, str] = {}  # archived name → name in storage
        self.written: list[tuple[object, str]] = []  # (storage, name)

    def run(self, plan) -> None:
        connection = connections[self.using]
        try:
            with transaction.atomic(using=self.using):
                self.check_empty()
                self.clear_reference_lists(plan)
                for entry, model in plan:
                    self.load(entry, model)
                loaded = [model for _entry, model in plan]
                connection.check_constraints(
                    table_names=[model._meta.db_table for model in loaded]
                )
                _reset_sequences(loaded, self.using)
        except BaseException as error:
            for storage, name in self.written:
                storage.delete(name)
            if isinstance(error, DatabaseError | OSError):
                raise ArchiveError(
                    _("导入失败，未写入任何数据：%(error)s") % {"error": error}
                ) from error
            raise
        self.result.files_written = len(self.written)

    def check_empty(self) -> None:
        occupied = []
        for model in archived_models():
            if model in (Group, self.user_model) or _label(model) in REFERENCE_MODELS:
                continue
            count = model._base_manager.using(self.using).count()
            if count:
                occupied.append(f"{_label(model)}: {count}")
        if occupied:
            raise ArchiveError(
                _(
                    "数据库中已有公开目录或信息发布的数据。归档只能导入新建的空数据库"
                    "（运行 migrate 之后、录入任何数据之前）。未写入任何数据。"
                ),
                occupied,
            )

    def clear_reference_lists(self, plan) -> None:
        """Empty the reference lists the archive brings, dependants first.
        Raw DELETEs: nothing refers to them yet (:meth:`check_empty`), and a
        two-level list refers to itself, which the ORM's deletion collector
        refuses (PROTECT) even when both levels go."""
        connection = connections[self.using]
        quote = connection.ops.quote_name
        reference = [m for entry, m in plan if entry["label"] in REFERENCE_MODELS]
        with connection.cursor() as cursor:
            for model in reversed(reference):
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608

    def load(self, entry: dict, model: type[models.Model]) -> None:
        count = 0
        for part in entry["parts"]:
            for deserialized in self.deserialize(part, model):
                if model is self.user_model:
                    self.restore_user(deserialized)
                elif model is Group:
                    # Matched by name: a role the new database has already
                    # gets the archive's permissions.
                    deserialized.save(using=self.using)
                else:
                    for file_field in _file_fields(model):
                        self.restore_file(deserialized.object, file_field)
                    # A raw save (Model.save_base): no save() override runs,
                    # so the append-only AuditEntry.save() does not refuse
                    # rows that come with their primary keys, and
                    # auto_now fields keep their archived values.
                    deserialized.save(using=self.using, force_insert=True)
                count += 1
        if count != entry["rows"]:
            raise ArchiveError(
                _(
                    "%(label)s 的行数与清单不符（清单 %(expected)d 行，数据 %(found)d 行）。"
                )
                % {"label": entry["label"], "expected": entry["rows"], "found": count}
            )
        if model is self.user_model:
            self.user_pks = dict(
                self.user_model._base_manager.using(self.using).values_list(
                    self.user_model.USERNAME_FIELD, "pk"
                )
            )
        self.result.rows[entry["label"]] = count
        if self.progress:
            self.progress(f"{entry['label']}: {count}")

    def deserialize(self, part: str, model: type[models.Model]):
        try:
            rows = json.loads(self.archive.read(part))
            if not isinstance(rows, list):
                raise ValueError("not a list")
            for row in rows:
                if row.get("model") != _label(model):
                    raise ValueError(f"a row of {row.get('model')}")
                self.resolve_usernames(row, model)
            return list(serializers.deserialize("python", rows, using=self.using))
        except (
            ValueError,
            LookupError,
            TypeError,
            AttributeError,
            FieldDoesNotExist,
            DeserializationError,
        ) as error:
            raise ArchiveError(
                _("无法读取 %(name)s：%(error)s") % {"name": part, "error": error}
            ) from error

    def resolve_usernames(self, row: dict, model) -> None:
        """Replace the usernames that stand for users with their ids here:
        one dictionary lookup instead of a query per row and field."""
        if model in (Group, self.user_model):
            return
        fields = row.get("fields", {})
        for f in _forward_relations(model):
            value = fields.get(f.name)
            if f.related_model is not self.user_model or value is None:
                continue
            if f.many_to_many:
                fields[f.name] = [self.user_pk(natural) for natural in value]
            else:
                fields[f.name] = self.user_pk(value)

    def user_pk(self, natural) -> int:
        username = natural[0] if isinstance(natural, list) else natural
        try:
            return self.user_pks[username]
        except KeyError:
            raise ValueError(f"unknown user {username!r}") from None

    def restore_user(self, deserialized) -> None:
        user = deserialized.object
        groups = (deserialized.m2m_data or {}).get("groups", [])
        if user.pk is not None:
            # An account of that name exists here: kept as it is (its
            # password above all), with the archive's groups added.
            user.groups.add(*groups)
            self.result.users_kept += 1
            return
        user.set_unusable_password()
        user.save(using=self.using)
        user.groups.set(groups)
        self.result.users_created += 1

    def restore_file(self, instance, file_field) -> None:
        stored = getattr(instance, file_field.attname).name
        if not stored:
            return
        if stored not in self.media_names:
            member = FILES_DIR + stored
            expected = self.manifest["contents"].get(member)
            if expected is None:
                raise ArchiveError(
                    _("%(label)s %(pk)s 的文件 %(name)s 不在归档中。")
                    % {
                        "label": _label(type(instance)),
                        "pk": instance.pk,
                        "name": stored,
                    }
                )
            self.media_names[stored] = self.write_media(
                member, stored, expected["sha256"], file_field
            )
        setattr(instance, file_field.attname, self.media_names[stored])

    def write_media(self, member, stored, sha256, file_field) -> str:
        """Write a file to the field's storage (default_storage for
        attachments) under its archived name. A file of that name with the
        same content is used as it is; one with other content is left alone
        and the archived file stored under a new name (the row then refers
        to that)."""
        storage = file_field.storage
        if storage.exists(stored) and _storage_sha256(storage, stored) == sha256:
            return stored
        with self.archive.open(member) as source:
            name = storage.save(
                stored,
                File(source, name=PurePosixPath(stored).name),
                max_length=file_field.max_length,
            )
        self.written.append((storage, name))
        return name


def _storage_sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _reset_sequences(loaded: list[type[models.Model]], using: str) -> None:
    """The rows came with their primary keys: move the sequences past them
    (PostgreSQL; SQLite's AUTOINCREMENT follows by itself)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
