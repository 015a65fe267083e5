"""The office's actions on the assessment scheme (考核方案) of a year and on
the manual indicators' points, each in one transaction with its entry in
the append-only trail (``AssessmentAuditEntry``), and who may take them.

- Only the disclosure office (reviewers and office administrators, who also
  see the sheet) creates, edits and publishes a scheme and scores manual
  indicators; a department sees its own sheet and evidence, read-only.
- Once the scheme is published (the year's sheet is in use), a change of
  weights needs a reason and is recorded as a change after publication.
- Evidence replaced by a new upload is deleted from storage once the change
  is committed, never before: a change that fails keeps the old file (and
  the new upload is deleted instead)."""

from __future__ import annotations

import logging
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.organs import organ_members
from disclosure.permissions import roles
from disclosure.uploads import CheckedFile
from disclosure.workflow import WorkflowError

from .assessment import DEFAULT_INDICATORS
from .assessment_models import (
    AssessmentAuditEntry,
    AssessmentScheme,
    Computed,
    ManualScore,
    SchemeIndicator,
)

Action = AssessmentAuditEntry.Action
logger = logging.getLogger(__name__)


class NotAllowed(WorkflowError):
    pass


# --- who may ----------------------------------------------------------------------------------


def can_edit_scheme(user) -> bool:
    return roles(user).is_office_staff


def edit_refusal(user) -> str:
    """Why ``user`` may not change schemes or points ('' when they may)."""
    if can_edit_scheme(user):
        return ""
    return _("只有政务公开办公室的审核员和管理员可以制定考核方案和录入人工指标得分。")


def can_view_organ(user, organ) -> bool:
    """The office, and the clerks and heads of the organ (or of its
    offices): a department sees its own sheet only."""
    mine = roles(user)
    if mine.is_office_staff:
        return True
    return bool(set(organ_members([organ])) & (mine.clerk_of | mine.head_of))


def _require(user) -> None:
    reason = edit_refusal(user)
    if reason:
        raise NotAllowed(reason)


def _trail(scheme, by, action, *, changes="", reason="", after=False) -> None:
    AssessmentAuditEntry.objects.create(
        scheme=scheme,
        actor=by,
        action=action,
        changes=changes,
        reason=reason,
        after_publication=after,
    )


# --- the scheme -------------------------------------------------------------------------------


def create_scheme(*, year: int, by) -> AssessmentScheme:
    """A year's scheme, starting from the default weights."""
    _require(by)
    with transaction.atomic():
        if AssessmentScheme.objects.filter(year=year).exists():
            raise NotAllowed(_("%(year)s年度的考核方案已经存在。") % {"year": year})
        scheme = AssessmentScheme.objects.create(year=year, created_by=by)
        for order, indicator in enumerate(DEFAULT_INDICATORS, 1):
            SchemeIndicator.objects.create(
                scheme=scheme, key=indicator.key, weight=indicator.weight, order=order
            )
        _trail(scheme, by, Action.CREATE, changes=describe(scheme))
    return scheme


def describe(scheme: AssessmentScheme) -> str:
    return "；".join(
        f"{row.label}（{row.weight}"
        + (f"，满分{float(row.max_points):g}" if row.is_manual else "")
        + "）"
        for row in scheme.indicators.order_by("order", "pk")
    )


def save_indicators(
    *, scheme: AssessmentScheme, by, computed: dict, manual: list, reason: str = ""
) -> AssessmentScheme:
    """Set the scheme's indicators: ``computed`` maps a computed key to
    ``(weight, order)`` (weight 0 or None: not used); ``manual`` lists dicts
    with ``pk`` (None for a new one), ``name``, ``weight``, ``max_points``,
    ``order`` and ``delete``."""
    _require(by)
    with transaction.atomic():
        scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
        after = scheme.is_published
        if after and not reason.strip():
            raise NotAllowed(
                _("考核方案已公布，考核表已按其计分；修改指标或权重须说明理由。")
            )
        before = describe(scheme)
        rows = {row.key: row for row in scheme.indicators.exclude(key="")}
        for key, (weight, order) in computed.items():
            if key not in Computed.values:
                raise NotAllowed(_("未知的计算指标。"))
            row = rows.get(key)
            if not weight:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                row = SchemeIndicator(scheme=scheme, key=key)
            row.weight, row.order = weight, order or 0
            row.save()
        for entry in manual:
            _save_manual(scheme, entry)
        if not scheme.indicators.exists():
            raise NotAllowed(_("考核方案至少要有一项指标。"))
        after_text = describe(scheme)
        if after_text != before:
            _trail(
                scheme,
                by,
                Action.EDIT,
                changes=_("修改前：%(before)s\n修改后：%(after)s")
                % {"before": before, "after": after_text},
                reason=reason.strip(),
                after=after,
            )
    return scheme


def _save_manual(scheme, entry: dict) -> None:
    row = None
    if entry.get("pk"):
        row = scheme.indicators.filter(pk=entry["pk"], key="").first()
        if row is None:
            raise NotAllowed(_("该人工指标不属于这个考核方案。"))
    if entry.get("delete"):
        if row is not None:
            if row.scores.exists():
                raise NotAllowed(
                    _("人工指标“%(name)s”已有得分，不能删除；可以调整其权重。")
                    % {"name": row.name}
                )
            row.delete()
        return
    row = row or SchemeIndicator(scheme=scheme)
    row.name = entry["name"].strip()
    row.weight = entry["weight"]
    row.max_points = Decimal(entry["max_points"])
    row.order = entry.get("order") or 0
    row.save()


def publish_scheme(*, scheme: AssessmentScheme, by) -> AssessmentScheme:
    _require(by)
    with transaction.atomic():
        scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.is_published:
            raise NotAllowed(_("考核方案已经公布。"))
        scheme.published_at, scheme.published_by = timezone.now(), by
        scheme.save(update_fields=["published_at", "published_by"])
        _trail(scheme, by, Action.PUBLISH, changes=describe(scheme))
    return scheme


# --- manual indicators' points ----------------------------------------------------------------


def score_manual(
    *,
    indicator: SchemeIndicator,
    organ,
    by,
    points: Decimal,
    note: str = "",
    uploaded=None,
    checked: CheckedFile | None = None,
) -> ManualScore:
    """Record (or change) an organ's points for a manual indicator, with the
    evidence ``disclosure.uploads.check_upload`` accepted."""
    _require(by)
    if not indicator.is_manual:
        raise NotAllowed(_("计算指标由门户的记录计算，不能人工评分。"))
    if points < 0 or points > indicator.max_points:
        raise NotAllowed(
            _("得分应在0到%(max)s分之间。")
            % {"max": f"{float(indicator.max_points):g}"}
        )
    stored = None  # the new upload's file, deleted if the change fails
    try:
        with transaction.atomic():
            score = (
                ManualScore.objects.select_for_update()
                .filter(indicator=indicator, department=organ)
                .first()
            )
            before = f"{float(score.points):g}" if score else "—"
            if score is None:
                score = ManualScore(
                    indicator=indicator, department=organ, token=secrets.token_hex(16)
                )
            replaced = score.evidence.name if score.evidence else ""
            score.points, score.note, score.entered_by = points, note.strip(), by
            score.entered_at = timezone.now()
            if uploaded is not None and checked is not None:
                score.evidence_name = (uploaded.name or "file")[-200:]
                score.evidence_extension = checked.extension
                score.evidence_content_type = checked.content_type
                score.evidence_sha256 = checked.sha256
                uploaded.seek(0)
                score.evidence.save(
                    f"{score.token}.{checked.extension}", uploaded, save=False
                )
                stored = score.evidence.name
            score.save()
            _trail(
                indicator.scheme,
                by,
                Action.SCORE,
                changes=_("%(organ)s %(name)s：%(before)s → %(after)s%(file)s")
                % {
                    "organ": organ.name,
                    "name": indicator.name,
                    "before": before,
                    "after": f"{float(points):g}",
                    "file": (
                        _("（佐证材料：%(file)s）") % {"file": score.evidence_name}
                        if checked
                        else ""
                    ),
                },
                after=indicator.scheme.is_published,
            )
            if replaced and replaced != score.evidence.name:
                discard_on_commit(score.evidence.storage, replaced)
    except BaseException:
        if stored:
            discard_file(score.evidence.storage, stored)
        raise
    return score


def discard_on_commit(storage, name: str) -> None:
    """Delete the file ``name`` no row refers to any more once the current
    transaction commits (never, if it rolls back)."""
    transaction.on_commit(lambda: discard_file(storage, name))


def discard_file(storage, name: str) -> None:
    """Delete ``name`` from ``storage``; a failure (permissions, an object
    store that does not answer) is logged and the file left behind, for the
    change that made it unused is done and must not fail for it."""
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete the unused evidence file %s", name)
