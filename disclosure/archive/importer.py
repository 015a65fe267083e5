"""Importing an archive (``manage.py import_archive``) into a database with no
disclosure data: verified first (``verify.py``), then loaded in one
transaction."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.core.files import File
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.utils.translation import gettext as _

from .format import (
    _CHUNK_BYTES,
    FILES_DIR,
    REFERENCE_MODELS,
    ArchiveError,
    ImportResult,
    _file_fields,
    _forward_relations,
    _label,
    archived_models,
)
from .verify import _check_migrations, _load_plan, _read_manifest, _verify_contents

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
