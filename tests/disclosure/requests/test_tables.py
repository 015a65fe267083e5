"""Tables 三 and 四 from the registers (disclosure/request_tables.py):
new, carried in, results by type and applicant kind, carried out, the
format's consistency rule, the requests behind a figure, the fees."""

import datetime
from decimal import Decimal

import pytest

from disclosure import request_tables as t
from disclosure.models import AppealCase, InformationRequest, ReplyType

from .helpers import RESIDENT_ID, world

pytestmark = pytest.mark.django_db
D = datetime.date
Y = 2025


def make(w, kind, received_on, closed_on=None, result="", **extra):
    closed = closed_on is not None
    return InformationRequest.objects.create(
        number=f"T{InformationRequest.objects.count():08d}",
        access_code_hash="0" * 64,
        organ=extra.pop("organ", w["organ"]),
        channel="online",
        applicant_kind=kind,
        applicant_name="某",
        id_type="resident_id",
        id_number=RESIDENT_ID,
        phone="1",
        description="x",
        delivery_form="paper",
        delivery_method="post",
        state="closed" if closed else extra.pop("state", "processing"),
        received_on=received_on,
        closed_on=closed_on,
        result=result,
        **extra,
    )


def test_the_rows_of_an_organ_and_year():
    w = world()
    make(
        w, "natural", D(2024, 12, 20), D(2025, 1, 10), ReplyType.GRANTED
    )  # carried in, closed
    make(w, "business", D(2024, 12, 28))  # carried in, still open: carried out
    make(
        w, "natural", D(2024, 6, 1), D(2024, 7, 1), ReplyType.GRANTED
    )  # last year only
    make(w, "natural", D(2025, 3, 1), D(2025, 3, 20), ReplyType.PARTLY_GRANTED)
    make(w, "legal", D(2025, 4, 1), D(2025, 4, 20), ReplyType.REFUSED_THIRD_PARTY)
    make(w, "research", D(2025, 5, 1), D(2025, 5, 2), ReplyType.OTHER_NO_FEE)
    make(
        w, "charity", D(2025, 12, 30), D(2026, 1, 5), ReplyType.UNABLE_NOT_HELD
    )  # carried out
    make(w, "other", D(2025, 11, 1), state="correction")  # carried out
    make(w, "natural", None, state="submitted")  # never received: not counted
    make(w, "natural", None, state="discarded")
    make(
        w, "natural", D(2025, 2, 2), D(2025, 2, 3), ReplyType.GRANTED, organ=w["other"]
    )
    tables = t.organ_tables(w["organ"], Y)
    #          natural business research charity legal other total
    assert tables.table3["new"] == [1, 0, 1, 1, 1, 1, 5]
    assert tables.table3["carried_in"] == [1, 1, 0, 0, 0, 0, 2]
    assert tables.table3["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert tables.table3["partly_granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert tables.table3["refused_third_party"] == [0, 0, 0, 0, 1, 0, 1]
    assert tables.table3["other_no_fee"] == [0, 0, 1, 0, 0, 0, 1]
    assert tables.table3["total"] == [2, 0, 1, 0, 1, 0, 4]
    assert tables.table3["carried_out"] == [0, 1, 0, 1, 0, 1, 3]
    assert tables.errors == []
    assert len(tables.table3) == 25
    everyone = t.organ_tables(None, Y)  # all organs: the other organ's one too
    assert everyone.table3["new"][6] == 6 and everyone.table3["granted"][6] == 2
    assert everyone.errors == []


def test_the_consistency_rule_catches_a_wrong_figure():
    w = world()
    make(w, "natural", D(2025, 3, 1), D(2025, 3, 20), ReplyType.GRANTED)
    tables = t.organ_tables(w["organ"], Y)
    tables.table3["carried_out"][0] = 1
    tables.table3["carried_out"][6] = 1
    assert tables.errors == [
        "表三“自然人”列：一＋二（1）不等于三（七）＋四（2）",
        "表三“总计”列：一＋二（1）不等于三（七）＋四（2）",
    ]


def test_the_requests_behind_a_figure():
    w = world()
    first = make(
        w, "natural", D(2025, 3, 1), D(2025, 3, 20), ReplyType.REJECTED_REPEATED
    )
    make(w, "business", D(2025, 3, 1), D(2025, 3, 20), ReplyType.REJECTED_REPEATED)
    behind = t.requests_behind(w["organ"], Y, "rejected_repeated", "natural")
    assert list(behind) == [first]
    assert t.requests_behind(w["organ"], Y, "rejected_repeated").count() == 2
    assert not t.requests_behind(w["organ"], Y, "no-such-row").exists()


def test_table_4_counts_the_cases_of_the_year_with_their_result_at_year_end():
    w = world()

    def case(kind, filed, result="pending", decided=None):
        return AppealCase.objects.create(
            organ=w["organ"],
            kind=kind,
            case_number=f"{kind}-{AppealCase.objects.count()}",
            filed_on=filed,
            result=result,
            decided_on=decided,
            created_by=w["reviewer"],
        )

    case("review", D(2025, 2, 1), "upheld", D(2025, 4, 1))
    case("review", D(2025, 3, 1), "corrected", D(2025, 5, 1))
    case("review", D(2025, 11, 1), "upheld", D(2026, 2, 1))  # pending at year end
    case("direct", D(2024, 10, 1))  # still pending: carried into 2025
    case("direct", D(2024, 1, 1), "upheld", D(2024, 6, 1))  # decided before 2025
    case("after_review", D(2025, 6, 1), "other", D(2025, 9, 1))
    tables = t.organ_tables(w["organ"], Y)
    assert tables.table4 == {
        "review": [1, 1, 0, 1, 3],
        "direct": [0, 0, 0, 1, 1],
        "after_review": [0, 0, 1, 0, 1],
    }
    assert tables.errors == []


def test_fees_are_summed_by_the_day_they_were_paid():
    w = world()
    make(
        w, "natural", D(2025, 3, 1), fee_amount=Decimal(100), fee_paid_on=D(2025, 3, 10)
    )
    make(
        w, "natural", D(2025, 12, 1), fee_amount=Decimal(700), fee_paid_on=D(2026, 1, 4)
    )
    make(w, "natural", D(2025, 4, 1), fee_amount=Decimal(200))  # never paid
    assert t.organ_tables(w["organ"], Y).fees == Decimal(100)
    assert t.organ_tables(w["organ"], 2026).fees == Decimal(700)


def test_the_labels_are_the_formats_wording():
    labels = [label for key, label, _level in t.TABLE3_ROWS if key]
    assert labels[3] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert [label for _key, label in t.TABLE3_COLUMNS] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    ]  # fmt: skip


def test_statistics_of_a_period_count_results_on_time_and_appeals():
    w = world()
    make(w, "natural", D(2025, 3, 2), D(2025, 3, 20), ReplyType.GRANTED)  # on time
    make(w, "natural", D(2025, 3, 2), D(2025, 5, 20), ReplyType.REFUSED_SECRET)  # late
    make(w, "business", D(2025, 6, 2))  # open
    AppealCase.objects.create(
        organ=w["organ"],
        kind="direct",
        case_number="x1",
        filed_on=D(2025, 7, 1),
        result="corrected",
        decided_on=D(2025, 9, 1),
        created_by=w["reviewer"],
    )
    stats = t.request_statistics(D(2025, 1, 1), D(2025, 12, 31), w["organ"])
    assert (stats.received, stats.closed, stats.on_time, stats.late) == (3, 2, 1, 1)
    assert stats.by_group["granted"] == 1 and stats.by_group["refused"] == 1
    assert stats.on_time_rate == 0.5
    assert (stats.reviews, stats.lawsuits, stats.corrected_cases) == (0, 1, 1)
