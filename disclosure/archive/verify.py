"""Reading an archive before anything is written: the manifest, the checksum
of every member, the load plan and the migrations it was made with."""

from __future__ import annotations

import hashlib
import json
import posixpath
import zipfile
from pathlib import PurePosixPath

from django.db import models
from django.utils.translation import gettext as _

from .export import _migration_state
from .format import (
    _CHUNK_BYTES,
    ARCHIVED_APPS,
    DATA_DIR,
    FILES_DIR,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    ArchiveError,
    _label,
    archived_models,
)


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
