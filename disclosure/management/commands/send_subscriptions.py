"""Send subscribers the new items they asked for (run by cron, e.g. every ten
minutes; each subscription's own frequency decides whether it is due).
Idempotent: an item goes to a subscription at most once, however often this
runs (``disclosure/participation/digests.py``).

    manage.py send_subscriptions
"""

from django.core.management.base import BaseCommand

from disclosure.participation.digests import send_digests


class Command(BaseCommand):
    help = "E-mail subscribers the items published since their last message."

    def handle(self, *args, **options):
        report = send_digests()
        self.stdout.write(
            f"Checked {report.checked} subscriptions: sent {report.messages} "
            f"messages with {report.items} items; removed {report.purged} "
            "unconfirmed subscriptions."
        )
        for failure in report.failed:
            self.stderr.write(f"Not sent (will be tried again): {failure}")
