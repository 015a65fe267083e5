"""The demo requests (disclosure/management/demo_requests.py): two years up
to today with requests in every state, and last year's tables 三 and 四
filled from them with the format's consistency rule holding."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from catalog import demo
from catalog.selectors import work_calendar
from disclosure import request_tables as t
from disclosure.management import demo_requests
from disclosure.models import AppealCase, InformationRequest, ReplyType
from disclosure.request_queries import clock_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    departments = demo.seed_catalog()
    demo.seed_accounts(departments, password=None)
    assert Group.objects.filter(name="reviewer").exists()
    created = demo_requests.seed_requests()
    assert created > 60
    assert demo_requests.seed_requests() == 0  # once per database
    return departments


def test_last_years_tables_are_filled_and_consistent(seeded):
    year = timezone.localdate().year - 1
    organs = {
        request.organ for request in InformationRequest.objects.select_related("organ")
    }
    total3 = {key: [0] * 7 for key in t.TABLE3_KEYS}
    total4 = {key: [0] * 5 for key, _label in t.TABLE4_GROUPS}
    for organ in organs:
        tables = t.organ_tables(organ, year)
        assert tables.errors == [], organ.name
        for key, values in tables.table3.items():
            total3[key] = [a + b for a, b in zip(total3[key], values, strict=True)]
        for key, values in tables.table4.items():
            total4[key] = [a + b for a, b in zip(total4[key], values, strict=True)]
    for key in ReplyType.values:
        assert total3[key][6] >= 1, key
    assert total3["new"][6] >= 40
    assert total3["carried_in"][6] >= 1
    assert total3["carried_out"][6] >= 1
    assert all(total3["new"][column] for column in range(6))  # every kind of applicant
    assert t.consistency_errors(total3, total4) == []
    for group, values in total4.items():
        assert values[4] >= 1, group
    assert sum(values[3] for values in total4.values()) >= 1  # pending at year end


def test_every_state_today(seeded):
    states = set(InformationRequest.objects.values_list("state", flat=True))
    assert states == set(InformationRequest.State.values)
    today, calendar = timezone.localdate(), work_calendar()
    clocks = [
        clock_of(request, today, calendar)
        for request in InformationRequest.objects.filter(state="processing")
    ]
    assert any(clock.overdue for clock in clocks)
    assert any(clock.status == "paused" for clock in clocks)
    assert InformationRequest.objects.filter(extension_days__gt=0).exists()
    assert InformationRequest.objects.exclude(fee_paid_on=None).exists()
    assert AppealCase.objects.filter(result="pending").exists()
