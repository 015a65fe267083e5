"""The records behind an organ's assessment sheet link only to pages the
viewer may open (disclosure/oversight/assessment_records.py,
disclosure/record_access.py): the office follows every record to its page; a
department's head sees a complaint (office only), a request and a
consultation (their handlers only) as text; an office's clerk sees its
bureau's records as text; every link on the page answers 200."""

import datetime
import re
from html import unescape

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from disclosure.models import InformationRequest, ReplyType
from disclosure.oversight import schemes
from disclosure.oversight.assessment_models import Computed
from disclosure.workflow import requests as request_steps
from tests import factories
from tests.disclosure.oversight.test_assessment_indicators import (
    _consultation,
    concluded,
)
from tests.disclosure.oversight.test_assessment_scheme import assessment_world
from tests.disclosure.oversight.test_timeliness import publish_on
from tests.disclosure.requests.helpers import applicant_data

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world():
    """The bureau's records of last year, one of each kind, each counted by
    an indicator of the year's scheme (every computed indicator)."""
    world = assessment_world()
    year = world["year"]
    scheme = schemes.create_scheme(year=year, by=world["reviewer"])
    schemes.save_indicators(
        scheme=scheme,
        by=world["reviewer"],
        computed={key: (10, order) for order, key in enumerate(Computed.values, 1)},
        manual=[],
    )
    clerk, reviewer = world["clerk"], world["reviewer"]
    item = factories.draft_item(
        clerk, world["bureau"], title="农业补贴公示", formed_on=D(year, 3, 3)
    )
    world["item"] = publish_on(item, clerk, reviewer, D(year, 3, 4))
    world["complaint"] = concluded(world, world["bureau"], D(year, 5, 6), "partly")
    world["consultation"] = _consultation(world, D(year, 9, 1), "种植补贴办法征求意见")
    request, _code = request_steps.submit_online(data=applicant_data(world["bureau"]))
    request_steps.confirm_receipt(request=request, by=reviewer)
    InformationRequest.objects.filter(pk=request.pk).update(
        state=InformationRequest.State.CLOSED,
        result=ReplyType.values[0],
        received_on=D(year, 4, 1),
        closed_on=D(year, 4, 8),
    )
    world["request"] = InformationRequest.objects.get(pk=request.pk)
    return world


def organ_page(client, world):
    response = client.get(
        f"/workspace/oversight/assessment/organ/nyj/?period=year&year={world['year']}"
    )
    assert response.status_code == 200
    return response.content.decode()


def links(page) -> set[str]:
    return {
        unescape(href)
        for href in re.findall(r'<a [^>]*href="([^"#][^"]*)"', page)
        if href.startswith("/")
    }


def assert_opens(client, href) -> None:
    """``href`` answers 200 for the signed-in user (a redirect is followed,
    never to the login page)."""
    response = client.get(href, follow=True)
    assert response.status_code == 200, href
    login = resolve_url(settings.LOGIN_URL)
    assert not any(url.startswith(login) for url, _ in response.redirect_chain), href


def record_cell(page, label) -> str:
    """The cell of the records' table that names ``label``."""
    cell = next(c for c in re.findall(r"<td>(.*?)</td>", page) if label in c)
    return unescape(cell)


def complaint_label(complaint) -> str:
    return f"{complaint}（{complaint.get_outcome_display()}）"


def test_the_office_follows_every_record_to_its_page(client, world):
    client.force_login(world["reviewer"])
    page = organ_page(client, world)
    complaint = world["complaint"]
    for record in (world["item"], world["request"]):
        assert f'href="{record.get_absolute_url()}"' in page
    for record in (complaint, world["consultation"]):
        assert f'href="{record.get_staff_url()}"' in page
    assert record_cell(page, str(complaint)).endswith(
        f"{complaint_label(complaint)}</a>"
    )
    for href in links(page):
        assert_opens(client, href)


@pytest.mark.parametrize(
    ("who", "linked"),
    [
        ("head", {"item"}),
        ("clerk", {"item", "request", "consultation"}),
        ("office_clerk", set()),  # the bureau's own records are not its office's
    ],
)
def test_a_department_sees_what_it_may_not_open_as_text(client, world, who, linked):
    client.force_login(world[who])
    page = organ_page(client, world)
    complaint = world["complaint"]
    assert record_cell(page, str(complaint)) == complaint_label(complaint)
    assert complaint.get_staff_url() not in page
    urls = {
        "item": world["item"].get_absolute_url(),
        "request": world["request"].get_absolute_url(),
        "consultation": world["consultation"].get_staff_url(),
    }
    for kind, url in urls.items():
        assert (f'href="{url}"' in page) == (kind in linked), kind
    for label in ("农业补贴公示", world["request"].number, "种植补贴办法征求意见"):
        assert label in page

    followed = links(page)
    assert followed  # the navigation and the linked records at least
    for href in followed:
        assert_opens(client, href)
