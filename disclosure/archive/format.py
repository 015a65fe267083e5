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
replaced by the archive's rows, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models

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
