"""Migration 0017 gives the items already outside the catalog Art. 26's due
date (20 working days from 成文日期), and the published ones their lateness,
so that they count in the on-time rates."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from catalog import workdays
from catalog.selectors import work_calendar
from disclosure import workflow
from disclosure.models import Item
from tests import factories

migration = importlib.import_module(
    "disclosure.migrations.0017_item_report_period_and_event"
)


@pytest.mark.django_db
def test_items_outside_the_catalog_get_article_26s_due_date():
    dept = factories.DepartmentFactory()
    clerk, reviewer = factories.clerk_of(dept), factories.reviewer()
    formed = timezone.localdate() - datetime.timedelta(days=60)
    draft = factories.draft_item(clerk, dept, formed_on=formed)
    published = factories.draft_item(clerk, dept, formed_on=formed)
    published = workflow.submit(item=published, by=clerk)
    published = workflow.approve(
        item=published, by=reviewer, confidentiality_checked=True
    )
    published = workflow.publish(item=published, by=reviewer)
    # As before the migration: no due date outside the catalog.
    Item.objects.update(due_on=None, late_working_days=None)

    migration.article_26_for_items_outside_the_catalog(apps, None)

    draft.refresh_from_db()
    published.refresh_from_db()
    expected = workdays.add_working_days(formed, 20, work_calendar()).due
    assert draft.due_on == published.due_on == expected
    # published today, 60 days after formation: late (at least 20 working days)
    assert published.late_working_days >= 1
    assert draft.late_working_days is None
