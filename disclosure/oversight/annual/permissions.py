"""Who may do what with an annual report: one place to read, used by the
views, the templates (as flags) and the report's steps alike.

- Draft, edit and submit: the disclosure office (reviewers and office
  administrators) for every organ; a department's clerks for their own
  organ's report.
- Publish (after review) or return: a reviewer who is not an author of the
  revision under review. Authors are whoever created it, changed its content
  (an edit, a refill from the portal's data) or submitted it since the last
  publication, as the report's audit trail records them: superusers are no
  exception, so nobody creates, publishes and later corrects a report alone.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from disclosure.permissions import roles

from ..models import AnnualReport, AnnualReportAuditEntry

State = AnnualReport.State
EDITABLE_STATES = {State.DRAFT, State.RETURNED, State.PUBLISHED}
SUBMITTABLE_STATES = {State.DRAFT, State.RETURNED}


def can_draft(user, organ) -> bool:
    user_roles = roles(user)
    return user_roles.is_office_staff or organ.pk in user_roles.clerk_of


def can_use_reports(user) -> bool:
    """Opens the report pages at all (the office, or a clerk of an organ)."""
    user_roles = roles(user)
    return user_roles.is_office_staff or bool(user_roles.clerk_of)


def can_view(user, report: AnnualReport) -> bool:
    return can_draft(user, report.organ)


def can_edit(user, report: AnnualReport) -> bool:
    return can_draft(user, report.organ) and report.state in EDITABLE_STATES


def can_submit(user, report: AnnualReport) -> bool:
    return can_draft(user, report.organ) and report.state in SUBMITTABLE_STATES


def authors(report: AnnualReport) -> set[int]:
    """Who touched the content under review: the actors of content steps
    since the last publication (one query)."""
    entries = list(
        AnnualReportAuditEntry.objects.filter(report_id=report.pk)
        .order_by("-pk")
        .values_list("actor_id", "action")
    )
    touched = set()
    for actor_id, action in entries:
        if action in AnnualReportAuditEntry.PUBLISH_ACTIONS:
            break
        if action in AnnualReportAuditEntry.CONTENT_ACTIONS:
            touched.add(actor_id)
    return touched


def is_author(user, report: AnnualReport) -> bool:
    if user is None or user.pk is None:
        return False
    return user.pk in authors(report)


def can_publish(user, report: AnnualReport) -> bool:
    return (
        report.state == State.SUBMITTED
        and roles(user).is_reviewer
        and not is_author(user, report)
    )


can_return = can_publish


def publish_block_reason(user, report: AnnualReport) -> str:
    """Why the user may not publish or return the report ('' if they may)."""
    if report.state != State.SUBMITTED:
        return _("报告当前不在审核环节。")
    if not roles(user).is_reviewer:
        return _("只有政务公开办公室的审核员可以审核并公布年度报告。")
    if is_author(user, report):
        return _("您创建、修改或提交了这份报告，按照双人审核原则不能审核或公布它。")
    return ""


def report_flags(user, report: AnnualReport) -> dict:
    reason = publish_block_reason(user, report)
    return {
        "can_edit": can_edit(user, report),
        "can_submit": can_submit(user, report),
        "can_publish": not reason,
        "publish_block_reason": reason,
    }
