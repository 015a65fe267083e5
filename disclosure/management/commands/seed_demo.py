from django.conf import settings
from django.core.management.base import BaseCommand

from catalog import demo as catalog_demo
from disclosure import demo as disclosure_demo
from disclosure.management import demo_assessment, demo_reports, demo_requests
from disclosure.participation import demo as participation_demo
from disclosure.site_address import base_url


class Command(BaseCommand):
    help = (
        "Load the demo district government, its catalog and demo accounts (idempotent)."
    )

    def handle(self, *args, **options):
        departments = catalog_demo.seed_catalog()
        password = catalog_demo.DEMO_PASSWORD if settings.DEBUG else None
        accounts = catalog_demo.seed_accounts(departments, password=password)
        created = disclosure_demo.seed_items()
        if created:
            self.stdout.write(f"Created {created} demo items.")
        # Requests first: last year's annual reports may count them.
        requests = demo_requests.seed_requests()
        if requests:
            self.stdout.write(f"Created {requests} demo requests for information.")
        documents, reports = demo_reports.seed()
        if documents or reports:
            self.stdout.write(
                f"Created {documents} normative documents and published "
                f"{reports} annual reports of last year."
            )
        if participation_demo.seed_participation():
            self.stdout.write(
                "Created demo consultations, interpretations, complaints and a "
                "subscription."
            )
        if demo_assessment.seed():
            self.stdout.write("Created last year's assessment scheme and its scores.")
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        if not settings.DEBUG:
            self.stdout.write(
                "Demo accounts have no usable password (DEBUG is off); set one "
                "with `manage.py changepassword <username>`."
            )
            return
        self.stdout.write(sign_in_message())
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<10} {password}   {account.name} · {account.role}"
            )


def sign_in_message() -> str:
    """The line above the demo accounts: the address ``make run`` serves."""
    return f"Demo accounts (sign in at {base_url()}/accounts/login/):"
