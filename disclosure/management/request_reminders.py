"""The requests part of the daily reminders (``send_due_reminders``): every
handler gets the requests of their departments whose answer is due within 5
working days or overdue (or whose correction or fee period has run out), the
disclosure office all of them; at most one such e-mail per person and day
(``RequestReminder``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog.selectors import work_calendar
from disclosure import request_permissions as perms
from disclosure.models import InformationRequest, RequestReminder
from disclosure.permissions import OFFICE_ADMIN_GROUP, REVIEWER_GROUP
from disclosure.request_queries import due_rows
from disclosure.site_address import base_url


def _line(row, today: datetime.date) -> str:
    request = row.request
    if row.clock.due is None:
        when = _("补正或缴费期限已过，待处理")
    elif row.overdue:
        when = _("已逾期（答复期限%(due)s）") % {"due": row.clock.due.isoformat()}
    else:
        when = _("%(due)s到期") % {"due": row.clock.due.isoformat()}
    base = base_url()
    return _("- %(number)s（%(organ)s，%(state)s）%(when)s\n  %(url)s") % {
        "number": request.number,
        "organ": request.organ.name,
        "state": request.get_state_display(),
        "when": when,
        "url": base + reverse("requests_staff:detail", args=[request.pk]),
    }


def remind(today: datetime.date, *, dry_run: bool, write) -> tuple[int, int]:
    """Send the reminders for ``today``; returns (sent, already sent)."""
    rows = due_rows(InformationRequest.objects.all(), today, work_calendar())
    write(f"{today.isoformat()}: {len(rows)} request(s) due soon or overdue.")
    if not rows:
        return 0, 0
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .order_by("username")
    )
    sent = skipped = 0
    for user in users:
        mine = [row for row in rows if perms.can_view(user, row.request)]
        if not mine:
            continue
        overdue = sum(1 for row in mine if row.overdue)
        subject = _("【依申请公开】%(count)s件申请临近或超过答复期限") % {
            "count": len(mine)
        }
        body = "\n".join(
            [
                _(
                    "以下%(count)s件政府信息公开申请在5个工作日内到期或已逾期"
                    "（其中已逾期或期限已过%(overdue)s件），请及时办理：\n"
                )
                % {"count": len(mine), "overdue": overdue},
                *[_line(row, today) for row in mine],
                "",
            ]
        )
        outcome = _send(user, today, subject, body, len(mine), dry_run)
        sent += outcome == "sent"
        skipped += outcome == "skipped"
        role = (
            "office"
            if user.groups.filter(
                name__in=[REVIEWER_GROUP, OFFICE_ADMIN_GROUP]
            ).exists()
            else "handler"
        )
        write(f"{outcome}: {role} {user.get_username()}: {len(mine)} request(s)")
    return sent, skipped


def _send(user, today, subject, body, count, dry_run) -> str:
    if RequestReminder.objects.filter(recipient=user, sent_on=today).exists():
        return "skipped"
    if dry_run:
        return "would send"
    try:
        with transaction.atomic():
            RequestReminder.objects.create(
                recipient=user, sent_on=today, request_count=count
            )
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                fail_silently=False,
            )
    except IntegrityError:
        return "skipped"
    return "sent"
