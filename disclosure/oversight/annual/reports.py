"""An annual report's life, one function per step, like the items' workflow:
start (with the portal's figures), save, refill, submit, return, publish.

Each step runs in one transaction, re-reads the report with SELECT ... FOR
UPDATE, checks the state and the permission (``annual/permissions.py``),
saves, and writes its audit entry in the same transaction.

    draft ──submit──▶ submitted ──publish (another person)──▶ published
      ▲                   │                                     │
      └── returned ◀──return                  save (a correction)│
      ▲                                                         │
      └─────────────────────────────────────────────────────────┘

The public reads only published revisions: changing a published report
starts a correction (the report is a draft again while the public keeps the
last published text), which needs a 更正说明 and goes through review again;
publishing it adds a revision, and the old text stays at its address."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AnnualReport, AnnualReportAuditEntry, AnnualReportRevision
from . import permissions, sources
from .consistency import ReportNotConsistent, stored_errors
from .forms import AnnualReportForm
from .layout import empty_table2, empty_table3, empty_table4
from .measurement import portal_figures, proactive_summary
from .text import content_of

State = AnnualReport.State
Action = AnnualReportAuditEntry.Action


class ReportError(Exception):
    """A step that cannot be taken; ``message`` is for the user, ``field``
    the form field it is about (if any)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _locked(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("organ")
        .get(pk=report.pk)
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ReportError(message)


def _audit(report, by, action, from_state, *, comment="", revision_number=None):
    AnnualReportAuditEntry.objects.create(
        report=report,
        actor=by,
        at=timezone.now(),
        action=action,
        from_state=from_state,
        to_state=report.state,
        comment=comment,
        revision_number=revision_number,
    )


def _fill_from_register(report: AnnualReport) -> None:
    figures = sources.request_figures(report.organ, report.year)
    report.register_figures = figures.as_json() if figures else {}
    if figures is None:
        return
    if figures.table3 is not None:
        report.table3 = {**empty_table3(), **figures.table3}
    if figures.table4 is not None:
        report.table4 = {**empty_table4(), **figures.table4}
    if figures.fees_charged is not None:
        report.fees_charged = figures.fees_charged


def _unexplained_overrides(report: AnnualReport) -> list[str]:
    if report.override_reason.strip():
        return []
    return sources.overridden_cells(
        report.register_figures or {},
        report.table3 or {},
        report.table4 or {},
        report.fees_charged,
    )


def _override_error(cells: list[str]) -> ReportError:
    return ReportError(
        _("以下数字与申请登记的统计不同，请写明原因：%(cells)s。")
        % {"cells": "、".join(cells[:10]) + ("等" if len(cells) > 10 else "")},
        field="override_reason",
    )


def start_report(*, organ, year: int, by, now, calendar) -> AnnualReport:
    """A new draft of the organ's report for ``year``, with what the portal
    knows filled in."""
    _require(
        permissions.can_draft(by, organ),
        _("您不能编写%(organ)s的年度报告。") % {"organ": organ.name},
    )
    report = AnnualReport(
        organ=organ,
        year=year,
        table2={**empty_table2(), **portal_figures(organ, year, now=now)},
        table3=empty_table3(),
        table4=empty_table4(),
        proactive_text=proactive_summary(organ, year, now=now, calendar=calendar),
        requests_text=_(
            "本年度门户尚未受理网上政府信息公开申请，表内数字由本机关根据各渠道收到的申请统计填报。"
        ),
        created_by=by,
        updated_by=by,
        created_at=now,
        updated_at=now,
    )
    _fill_from_register(report)
    try:
        with transaction.atomic():
            report.save()
            _audit(report, by, Action.CREATE, "")
    except IntegrityError as error:
        raise ReportError(
            _("%(organ)s%(year)s年度的报告已经存在。")
            % {"organ": organ.name, "year": year}
        ) from error
    return report


def _begin_edit(report: AnnualReport) -> str:
    """A published report becomes the draft of its correction."""
    from_state = report.state
    if from_state == State.PUBLISHED:
        report.state = State.DRAFT
    return from_state


def save(
    *, report: AnnualReport, form: AnnualReportForm, by, expected_version: int
) -> AnnualReport:
    """Save the text and figures. An edit made on a version someone else has
    changed since is refused, never silently overwritten; figures that differ
    from the register of requests need a reason."""
    with transaction.atomic():
        report = _locked(report)
        _require(
            permissions.can_edit(by, report),
            _("这份报告当前状态为“%(state)s”，您不能修改。")
            % {"state": report.get_state_display()},
        )
        if report.version != expected_version:
            raise ReportError(
                _(
                    "这份报告在您打开之后已被他人修改（当前版本 %(current)s，您编辑的是版本 "
                    "%(mine)s）。为避免覆盖他人的修改，本次保存未生效；请重新打开后再改。"
                )
                % {"current": report.version, "mine": expected_version}
            )
        from_state = _begin_edit(report)
        form.apply(report)
        cells = _unexplained_overrides(report)
        if cells:
            raise _override_error(cells)
        report.updated_by = by
        report.updated_at = timezone.now()
        report.version += 1
        report.save()
        comment = _("开始更正已公布的报告。") if from_state == State.PUBLISHED else ""
        if report.register_figures and report.override_reason:
            comment += _("与申请登记不同的原因：%(reason)s") % {
                "reason": report.override_reason
            }
        _audit(report, by, Action.EDIT, from_state, comment=comment)
    return report


def refill(*, report: AnnualReport, by, now) -> AnnualReport:
    """Put the portal's figures back into table 二 第（一）项 (and the register
    of requests' figures into tables 三, 四 and the fees, when there is one)."""
    with transaction.atomic():
        report = _locked(report)
        _require(permissions.can_edit(by, report), _("您不能修改这份报告。"))
        from_state = _begin_edit(report)
        report.table2 = {
            **empty_table2(),
            **(report.table2 or {}),
            **portal_figures(report.organ, report.year, now=now),
        }
        _fill_from_register(report)
        report.updated_by = by
        report.updated_at = now
        report.version += 1
        report.save()
        _audit(report, by, Action.REFILL, from_state)
    return report


def submit(*, report: AnnualReport, by) -> AnnualReport:
    """For review by someone else. The tables must be consistent; a
    correction needs its 更正说明."""
    with transaction.atomic():
        report = _locked(report)
        _require(
            permissions.can_submit(by, report),
            _("这份报告当前状态为“%(state)s”，您不能提交。")
            % {"state": report.get_state_display()},
        )
        errors = stored_errors(report)
        if errors:
            raise ReportNotConsistent(errors)
        if report.is_published and not report.correction_note.strip():
            raise ReportError(
                _("这是对已公布报告的更正，请先填写将与报告一起公开的更正说明。"),
                field="correction_note",
            )
        cells = _unexplained_overrides(report)
        if cells:
            raise _override_error(cells)
        from_state = report.state
        report.state = State.SUBMITTED
        report.submitted_by = by
        report.submitted_at = timezone.now()
        report.return_comment = ""
        report.save(
            update_fields=["state", "submitted_by", "submitted_at", "return_comment"]
        )
        _audit(report, by, Action.SUBMIT, from_state, comment=report.correction_note)
    return report


def return_report(*, report: AnnualReport, by, comment: str) -> AnnualReport:
    if not (comment or "").strip():
        raise ReportError(
            _("退回时请写明退回意见，告诉编写人需要修改什么。"), field="comment"
        )
    with transaction.atomic():
        report = _locked(report)
        _require(
            permissions.can_return(by, report),
            permissions.publish_block_reason(by, report),
        )
        from_state = report.state
        report.state = State.RETURNED
        report.return_comment = comment.strip()
        report.save(update_fields=["state", "return_comment"])
        _audit(report, by, Action.RETURN, from_state, comment=report.return_comment)
    return report


def publish(*, report: AnnualReport, by) -> AnnualReport:
    """Publish the submitted text as the report's next revision (a correction
    with its 更正说明). Only a reviewer who is not one of its authors."""
    with transaction.atomic():
        report = _locked(report)
        _require(
            permissions.can_publish(by, report),
            permissions.publish_block_reason(by, report),
        )
        errors = stored_errors(report)
        if errors:
            raise ReportNotConsistent(errors)
        now = timezone.now()
        number = (
            report.revisions.order_by("-number")
            .values_list("number", flat=True)
            .first()
            or 0
        ) + 1
        note = report.correction_note.strip() if number > 1 else ""
        AnnualReportRevision.objects.create(
            report=report,
            number=number,
            title=str(report),
            content=content_of(report),
            correction_note=note,
            published_by=by,
            published_at=now,
        )
        from_state = report.state
        report.state = State.PUBLISHED
        if report.published_at is None:
            report.published_at = now
            report.published_by = by
        report.correction_note = ""
        report.save(
            update_fields=["state", "published_at", "published_by", "correction_note"]
        )
        _audit(
            report,
            by,
            Action.CORRECT if number > 1 else Action.PUBLISH,
            from_state,
            comment=note,
            revision_number=number,
        )
    return report
