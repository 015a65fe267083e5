"""Writing an archive (``manage.py export_archive``): every archived row in
dependency order, every file its rows name, and the manifest with their
checksums."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
import zipfile
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .format import (
    _CHUNK_BYTES,
    DATA_DIR,
    FILES_DIR,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    ROWS_PER_PART,
    USER_FIELDS,
    ArchiveError,
    ExportResult,
    _archived_user_ids,
    _file_fields,
    _label,
    _unarchived_references,
    archived_models,
)

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
