"""Erase the identity numbers of applicants once their requests have been
closed longer than ``PORTAL_REQUEST_ID_RETENTION_DAYS`` (a discarded
submission: since it was sent). Run daily from cron; each erasure is in the
request's trail. The rest of the register (needed for the annual reports and
for appeals) stays.

    manage.py erase_request_identities [--today YYYY-MM-DD] [--dry-run]
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from disclosure.models import InformationRequest, RequestEvent


class Command(BaseCommand):
    help = "Erase applicants' identity numbers after the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to count from (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be YYYY-MM-DD") from error
        days = settings.PORTAL_REQUEST_ID_RETENTION_DAYS
        cutoff = today - datetime.timedelta(days=days)
        moment = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time()))
        due = InformationRequest.objects.exclude(id_number="").filter(
            Q(state=InformationRequest.State.CLOSED, closed_on__lt=cutoff)
            | Q(state=InformationRequest.State.DISCARDED, submitted_at__lt=moment)
        )
        pks = list(due.values_list("pk", flat=True))
        if options["dry_run"]:
            self.stdout.write(
                f"[dry-run] {len(pks)} identity number(s) would be erased."
            )
            return
        with transaction.atomic():
            InformationRequest.objects.filter(pk__in=pks).update(
                id_number="", id_erased_on=today
            )
            RequestEvent.objects.bulk_create(
                RequestEvent(
                    request_id=pk,
                    at=timezone.now(),
                    action=RequestEvent.Action.ERASE_ID,
                    comment=f"保存期限{days}天已满",
                )
                for pk in pks
            )
        self.stdout.write(
            f"{len(pks)} identity number(s) erased (closed before {cutoff.isoformat()})."
        )
