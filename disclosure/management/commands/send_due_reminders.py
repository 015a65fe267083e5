"""E-mail the clerks the items due within five working days or overdue in
their departments, and the disclosure office a summary; and the handlers and
the office the requests for information whose answer is due within five
working days or overdue (``disclosure/management/request_reminders.py``). Safe to run daily
from cron: each person gets each kind of reminder at most once a day
(``ReminderLog``), so a second run the same day sends nothing.

    manage.py send_due_reminders [--today YYYY-MM-DD] [--dry-run]
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import Department, Membership
from catalog.selectors import work_calendar
from disclosure.management import request_reminders
from disclosure.models import Item
from disclosure.oversight import timeliness
from disclosure.oversight.models import ReminderLog
from disclosure.permissions import OFFICE_ADMIN_GROUP, REVIEWER_GROUP
from disclosure.site_address import base_url


def _site_url(path: str) -> str:
    base = base_url()
    return base.rstrip("/") + path


def _line(item: Item, today: datetime.date) -> str:
    if item.due_on < today:
        when = _("已逾期（应于%(due)s前公开）") % {"due": item.due_on.isoformat()}
    else:
        when = _("%(due)s到期") % {"due": item.due_on.isoformat()}
    return _("- %(title)s（%(department)s，%(state)s）%(when)s\n  %(url)s") % {
        "title": item.title,
        "department": item.department.name,
        "state": item.get_state_display(),
        "when": when,
        "url": _site_url(reverse("workspace:item", args=[item.pk])),
    }


class Command(BaseCommand):
    help = (
        "E-mail clerks the items due within five working days or overdue, and the "
        "disclosure office a summary; at most once a day per person."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="The day to remind for (YYYY-MM-DD); default: today.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be sent; send and record nothing.",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    f"--today must be a date YYYY-MM-DD, got {options['today']!r}"
                ) from error
        with translation.override(settings.LANGUAGE_CODE):
            self.remind(today, dry_run=options["dry_run"])
            prefix = "[dry-run] " if options["dry_run"] else ""
            sent, skipped = request_reminders.remind(
                today,
                dry_run=options["dry_run"],
                write=lambda line: self.stdout.write(prefix + line),
            )
            self.stdout.write(
                f"{prefix}Requests: {sent} e-mail(s) sent, {skipped} already sent today."
            )

    def remind(self, today: datetime.date, *, dry_run: bool) -> None:
        calendar = work_calendar()
        pending = timeliness.open_rows(today)
        due = timeliness.overdue(pending, today) + timeliness.due_soon(
            pending, today, calendar
        )
        now = timezone.now()
        # Still unpublished now (a run for a past --today ignores what has
        # been published since).
        items = {
            item.pk: item
            for item in Item.objects.filter(pk__in=[row.item_id for row in due])
            .filter(Q(first_published_at__isnull=True) | Q(first_published_at__gt=now))
            .select_related("department")
            .order_by("due_on", "pk")
        }
        by_department: dict[int, list[Item]] = {}
        for item in sorted(items.values(), key=lambda i: (i.due_on, i.pk)):
            by_department.setdefault(item.department_id, []).append(item)
        prefix = "[dry-run] " if dry_run else ""
        sent = skipped = 0
        self.stdout.write(
            f"{prefix}{today.isoformat()}: {len(items)} item(s) due within "
            f"{timeliness.DUE_SOON_WORKING_DAYS} working days or overdue."
        )
        for user, department_ids in self._clerks():
            mine = [
                item
                for department_id in sorted(department_ids)
                for item in by_department.get(department_id, [])
            ]
            if not mine:
                continue
            overdue_count = sum(1 for item in mine if item.due_on < today)
            subject = _("【到期提醒】%(count)s条信息即将到期或已逾期") % {
                "count": len(mine)
            }
            body = "\n".join(
                [
                    _(
                        "您负责的部门有%(count)s条信息在%(days)s个工作日内到期或已逾期"
                        "（其中已逾期%(overdue)s条），请尽快处理：\n"
                    )
                    % {
                        "count": len(mine),
                        "days": timeliness.DUE_SOON_WORKING_DAYS,
                        "overdue": overdue_count,
                    },
                    *[_line(item, today) for item in mine],
                    "",
                ]
            )
            outcome = self._send(
                user, ReminderLog.Kind.CLERK, today, subject, body, len(mine), dry_run
            )
            sent += outcome == "sent"
            skipped += outcome == "skipped"
            self.stdout.write(
                f"{prefix}{outcome}: clerk {user.get_username()} <{user.email}>: "
                f"{len(mine)} item(s), {overdue_count} overdue"
            )
        if items:
            sent_office, skipped_office = self._office(
                today, by_department, items, dry_run, prefix
            )
            sent += sent_office
            skipped += skipped_office
        self.stdout.write(
            f"{prefix}Done: {sent} e-mail(s) sent, {skipped} already sent today."
        )

    def _clerks(self):
        """(user, department ids) for every active clerk with an e-mail
        address; a department's clerks cover its offices."""
        memberships = (
            Membership.objects.filter(role=Membership.Role.CLERK, user__is_active=True)
            .exclude(user__email="")
            .select_related("user")
            .order_by("user__username", "department_id")
        )
        children: dict[int, set[int]] = {}
        for pk, parent_id in Department.objects.filter(
            parent__isnull=False
        ).values_list("pk", "parent_id"):
            children.setdefault(parent_id, set()).add(pk)
        users: dict[int, tuple] = {}
        for membership in memberships:
            user, departments = users.setdefault(
                membership.user_id, (membership.user, set())
            )
            departments.add(membership.department_id)
            departments |= children.get(membership.department_id, set())
        return list(users.values())

    def _office(self, today, by_department, items, dry_run, prefix):
        departments = {
            department.pk: department
            for department in Department.objects.filter(pk__in=by_department)
        }
        lines = [
            _("截至%(date)s，%(count)s条信息在%(days)s个工作日内到期或已逾期：\n")
            % {
                "date": today.isoformat(),
                "count": len(items),
                "days": timeliness.DUE_SOON_WORKING_DAYS,
            }
        ]
        for department_id, department_items in sorted(
            by_department.items(),
            key=lambda pair: (departments[pair[0]].order, departments[pair[0]].code),
        ):
            overdue_count = sum(1 for item in department_items if item.due_on < today)
            lines.append(
                _("%(department)s：%(count)s条（已逾期%(overdue)s条）")
                % {
                    "department": departments[department_id].name,
                    "count": len(department_items),
                    "overdue": overdue_count,
                }
            )
        lines.append("")
        lines.append(
            _("详见公开时效监督：%(url)s")
            % {"url": _site_url(reverse("oversight:dashboard"))}
        )
        body = "\n".join(lines) + "\n"
        subject = _("【公开时效】%(count)s条信息即将到期或已逾期") % {
            "count": len(items)
        }
        office = (
            get_user_model()
            .objects.filter(
                groups__name__in=[REVIEWER_GROUP, OFFICE_ADMIN_GROUP], is_active=True
            )
            .exclude(email="")
            .distinct()
            .order_by("username")
        )
        sent = skipped = 0
        for user in office:
            outcome = self._send(
                user, ReminderLog.Kind.OFFICE, today, subject, body, len(items), dry_run
            )
            sent += outcome == "sent"
            skipped += outcome == "skipped"
            self.stdout.write(
                f"{prefix}{outcome}: office {user.get_username()} <{user.email}>: "
                f"summary of {len(items)} item(s)"
            )
        return sent, skipped

    def _send(self, user, kind, today, subject, body, count, dry_run) -> str:
        """'sent', 'skipped' (already sent today) or 'would send'."""
        already = ReminderLog.objects.filter(
            recipient=user, sent_on=today, kind=kind
        ).exists()
        if already:
            return "skipped"
        if dry_run:
            return "would send"
        try:
            with transaction.atomic():
                # Claim the day first: a second run at the same time finds the
                # row and sends nothing; a failed send rolls the claim back.
                ReminderLog.objects.create(
                    recipient=user, sent_on=today, kind=kind, item_count=count
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
