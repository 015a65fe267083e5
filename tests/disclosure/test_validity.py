"""有效性 with 施行日期 and 有效期至 (国办发〔2018〕37号): computed for the day it
is read, so a document becomes 失效 by itself after its 有效期至 on every
public surface (page, listing, filter, API, CSV), cached pages included; the
marks of 行政规范性文件 and 规章 and the checks on them."""

import datetime
import itertools

import pytest
from django.utils import timezone

from catalog.models import DocumentType
from disclosure import workflow
from disclosure.models import DocumentClass, Item, PublicRecord
from disclosure.validity import Standing, ended_on, standing_on, standing_q
from tests import factories
from tests.disclosure.public_fixtures import build_world, publish

D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    return build_world()


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# --- the rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "changed", "effective", "expires", "day", "expected"),
    [
        ("valid", None, None, None, D(2026, 5, 1), Standing.IN_FORCE),
        ("valid", None, D(2026, 5, 1), None, D(2026, 4, 30), Standing.PENDING),
        ("valid", None, D(2026, 5, 1), None, D(2026, 5, 1), Standing.IN_FORCE),
        # 有效期至 is the last day in force
        ("valid", None, None, D(2026, 5, 1), D(2026, 5, 1), Standing.IN_FORCE),
        ("valid", None, None, D(2026, 5, 1), D(2026, 5, 2), Standing.EXPIRED),
        ("repealed", D(2026, 3, 1), None, None, D(2026, 2, 28), Standing.IN_FORCE),
        ("repealed", D(2026, 3, 1), None, None, D(2026, 3, 1), Standing.REPEALED),
        # repealed before its expiry: 废止, not 失效
        ("repealed", D(2026, 3, 1), None, D(2026, 4, 1), D(2026, 6, 1), "repealed"),
        ("expired", D(2026, 3, 1), None, None, D(2026, 3, 1), Standing.EXPIRED),
        # a stored end without a date is an end since always (fail safe)
        ("expired", None, None, None, D(2000, 1, 1), Standing.EXPIRED),
        ("repealed", None, D(2030, 1, 1), None, D(2000, 1, 1), Standing.REPEALED),
    ],
)
def test_standing_on_a_day(stored, changed, effective, expires, day, expected):
    assert (
        standing_on(
            day,
            validity=stored,
            changed_on=changed,
            effective_on=effective,
            expires_on=expires,
        )
        == expected
    )


def test_ended_on_is_the_first_day_out_of_force():
    assert ended_on(validity="valid", changed_on=None, expires_on=None) is None
    assert ended_on(validity="valid", changed_on=None, expires_on=D(2025, 12, 31)) == D(
        2026, 1, 1
    )
    assert ended_on(
        validity="repealed", changed_on=D(2025, 6, 1), expires_on=D(2025, 12, 31)
    ) == D(2025, 6, 1)


@pytest.mark.django_db
def test_the_query_agrees_with_the_rule_for_every_combination(world):
    """Every combination of stored validity and dates, each standing asked
    in SQL on three days, gives the rows the Python rule gives."""
    pivot = D(2026, 6, 15)
    dates = [None, D(2026, 6, 14), D(2026, 6, 15), D(2026, 6, 16)]
    records = []
    for number, (stored, changed, effective, expires) in enumerate(
        itertools.product(["valid", "expired", "repealed"], dates, dates, dates)
    ):
        if effective and expires and expires < effective:
            continue
        # written directly: a stored end without a date cannot be entered,
        # but the query must still treat it as the rule does
        records.append(
            Item(
                **factories.item_data(
                    world.department,
                    title=f"文件{number}",
                    validity=stored,
                    validity_changed_on=changed,
                    effective_on=effective,
                    expires_on=expires,
                ),
                created_by=world.clerk,
                updated_by=world.clerk,
            )
        )
    records = Item.objects.bulk_create(records)
    for day in (
        pivot - datetime.timedelta(days=1),
        pivot,
        pivot + datetime.timedelta(1),
    ):
        for standing in Standing.values:
            expected = {
                item.pk for item in records if item.standing_on(day) == standing
            }
            found = set(
                Item.objects.filter(standing_q(standing, day)).values_list(
                    "pk", flat=True
                )
            )
            assert found == expected, (standing, day)


# --- public surfaces ---------------------------------------------------------------------


def meta_cell(page: str, label: str) -> str:
    start = page.index(f'<th scope="row">{label}</th><td>') + len(
        f'<th scope="row">{label}</th><td>'
    )
    return page[start : page.index("</td>", start)]


def test_a_document_past_its_expiry_is_shown_expired_everywhere(client, world):
    expired = publish(
        world,
        title="关于印发农业项目资金管理办法的通知",
        effective_on=days(-400),
        expires_on=days(-1),
    )
    in_force = publish(world, title="仍然有效的通知", effective_on=days(-10))
    pending = publish(world, title="尚未施行的通知", effective_on=days(20))
    assert expired.validity == "valid"  # as stored: nobody changed it

    page = client.get(f"/items/{expired.pk}/").content.decode()
    assert meta_cell(page, "有效性") == f"失效（{timezone.localdate():%Y-%m-%d}起）"
    assert f"有效期至{days(-1):%Y-%m-%d}" in page
    assert (
        meta_cell(client.get(f"/items/{pending.pk}/").content.decode(), "有效性")
        == f"尚未施行（{days(20):%Y-%m-%d}起施行）"
    )
    assert meta_cell(
        client.get(f"/items/{in_force.pk}/").content.decode(), "有效性"
    ) == ("有效")

    def listed(query):
        response = client.get(f"/items/?{query}")
        return {r.title for r in response.context["page_obj"].object_list}

    assert listed("validity=valid") == {in_force.title}
    assert listed("validity=expired") == {expired.title}
    assert listed("validity=pending") == {pending.title}
    listing = client.get("/items/").content.decode()
    assert (
        '关于印发农业项目资金管理办法的通知</a> <span class="badge">失效</span>'
        in listing
    )
    assert "现行有效" in listing  # the filter's choice

    api = {r["title"]: r for r in client.get("/api/v1/items").json()["results"]}
    assert api[expired.title]["validity"] == "expired"
    assert api[expired.title]["expires_on"] == days(-1).isoformat()
    assert api[pending.title]["validity"] == "pending"
    assert api[in_force.title]["validity"] == "valid"
    only_valid = client.get("/api/v1/items?validity=valid").json()["results"]
    assert [r["title"] for r in only_valid] == [in_force.title]
    csv_text = b"".join(client.get("/items.csv").streaming_content).decode("utf-8-sig")
    row = next(line for line in csv_text.splitlines() if expired.title in line)
    assert ",失效," in row


def test_a_cached_page_does_not_outlive_the_day_of_expiry(client, world, clock):
    record = publish(world, title="今天到期的通知", expires_on=timezone.localdate())
    client.get("/")  # a public page cached for anonymous visitors
    first = client.get(f"/items/{record.pk}/").content.decode()
    assert meta_cell(first, "有效性") == "有效"
    # the same page from the cache a minute later
    assert client.get(f"/items/{record.pk}/").content.decode() == first
    tomorrow = timezone.localtime().replace(hour=0, minute=1) + datetime.timedelta(
        days=1
    )
    clock.move_to(tomorrow)
    page = client.get(f"/items/{record.pk}/").content.decode()
    assert meta_cell(page, "有效性").startswith("失效")
    assert client.get("/items/?validity=valid").context["page_obj"].object_list == []


# --- marking 行政规范性文件 and 规章 --------------------------------------------------------


def _form_data(world, **overrides):
    data = {
        "department": world.department.pk,
        "title": "关于印发示例区农业项目资金管理办法的通知",
        "body": "第一条 为规范资金管理，制定本办法。",
        "formed_on": "2026-03-02",
        "topic": world.topic.pk,
        "document_type": world.notice.pk,
        "doc_number": "示农规〔2026〕1号",
        "keywords": "资金 管理",
        "validity": "valid",
        "disclosure_mode": "proactive",
        "scope": "public",
        "version": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_normative_document_needs_its_registration_number_and_start(client, world):
    client.force_login(world.clerk)
    response = client.post(
        "/workspace/items/new/", _form_data(world, document_class="normative")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "行政规范性文件须填写登记编号（统一登记、统一编号）。" in page
    assert "行政规范性文件须填写施行日期。" in page
    assert not world.clerk.pk or not PublicRecord.objects.exists()
    response = client.post(
        "/workspace/items/new/",
        _form_data(
            world,
            document_class="normative",
            registration_number="SLQD01-2026-0001",
            effective_on="2026-04-01",
            expires_on="2031-03-31",
        ),
    )
    assert response.status_code == 302
    item = Item.objects.get(registration_number="SLQD01-2026-0001")
    assert item.document_class == DocumentClass.NORMATIVE
    assert item.expires_on == D(2031, 3, 31)
    # the number is unique
    response = client.post(
        "/workspace/items/new/",
        _form_data(
            world,
            title="另一份文件",
            document_class="normative",
            registration_number="SLQD01-2026-0001",
            effective_on="2026-04-01",
        ),
    )
    assert response.status_code == 200
    assert "这个登记编号已被另一份文件使用。" in response.content.decode()
    # expiry before start, a number on a document that is not normative
    response = client.post(
        "/workspace/items/new/",
        _form_data(
            world,
            title="第三份",
            registration_number="SLQD01-2026-0009",
            effective_on="2026-04-01",
            expires_on="2026-03-31",
        ),
    )
    page = response.content.decode()
    assert "有效期至不能早于施行日期。" in page
    assert "只有行政规范性文件有登记编号" in page
    assert Item.objects.count() == 1


@pytest.mark.django_db
def test_only_an_organ_with_rule_making_power_marks_rules(world):
    order = DocumentType.objects.get(code="order")
    data = factories.item_data(
        world.department,
        title="示例区农村集体资产管理办法",
        document_type=order,
        doc_number="",
        document_class="rules",
    )
    with pytest.raises(Exception) as refused:
        workflow.create_item(by=world.clerk, data=data)
    assert "区农业农村局没有规章制定权（《立法法》第九十三条）" in str(refused.value)
    # an office acts for its department: the department's power decides
    office_data = {**data, "department": world.office}
    with pytest.raises(Exception, match="没有规章制定权"):
        workflow.create_item(by=world.clerk, data=office_data)
    world.department.may_make_rules = True
    world.department.save()
    item = workflow.create_item(by=world.clerk, data=office_data)
    assert item.document_class == DocumentClass.RULES


def test_a_page_cached_a_minute_before_midnight_is_not_served_after_it(
    client, world, clock
):
    """The page cache keys its pages by the day (``cache.today``): a copy
    made at 23:59 is still fresh at 00:00:30 (kept 600 s), and must not be
    served, whatever the process remembers of the date."""
    late = timezone.localtime().replace(hour=23, minute=59, second=0)
    clock.move_to(late)
    record = publish(world, title="今天到期的通知", expires_on=timezone.localdate())
    first = client.get(f"/items/{record.pk}/").content.decode()
    assert meta_cell(first, "有效性") == "有效"
    assert client.get(f"/items/{record.pk}/").content.decode() == first
    clock.move_to(late + datetime.timedelta(seconds=90))
    page = client.get(f"/items/{record.pk}/").content.decode()
    assert meta_cell(page, "有效性").startswith("失效")
