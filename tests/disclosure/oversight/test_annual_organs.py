"""Annual reports per organ (Regulations Art. 49): each department's report
for year Y is due 31 January of Y+1, the government's own (本级政府) 31 March;
each report has its organ's name in its title and its own deadline; the
government's disclosure office sees which organs have not published yet and
which are late."""

import datetime
import re
from unittest import mock

import pytest
from django.utils import timezone

from catalog.models import Department
from disclosure.oversight.annual import deadlines, reports
from disclosure.oversight.models import AnnualReport
from tests import factories
from tests.disclosure.oversight.annual_helpers import at, text
from tests.english_scan import without_tags

D = datetime.date


@pytest.fixture
def district(db):
    government = factories.DepartmentFactory(
        code="gov", name="示例区人民政府", kind=Department.Kind.GOVERNMENT, order=0
    )
    departments = {
        code: factories.DepartmentFactory(
            code=code, name=name, parent=government, order=order
        )
        for order, (code, name) in enumerate(
            [
                ("fgj", "区发展和改革局"),
                ("czj", "区财政局"),
                ("nyj", "区农业农村局"),
                ("jyj", "区教育局"),
            ],
            1,
        )
    }
    # an office reports under its department; an inactive department not at all
    factories.DepartmentFactory(
        code="czj-ys", name="预算科", parent=departments["czj"], kind="office"
    )
    factories.DepartmentFactory(code="old", name="区已撤并局", is_active=False)
    return {
        "government": government,
        **departments,
        "author": factories.reviewer("author"),
        "publisher": factories.reviewer("publisher"),
    }


@pytest.fixture
def quiet_summary(monkeypatch):
    monkeypatch.setattr(reports, "proactive_summary", lambda *a, **k: "")


def _publish(district, organ, day):
    with mock.patch.object(timezone, "now", return_value=at(day)):
        report = reports.start_report(
            organ=organ,
            year=2025,
            by=district["author"],
            now=timezone.now(),
            calendar=None,
        )
        report = reports.submit(report=report, by=district["author"])
        return reports.publish(report=report, by=district["publisher"])


def test_the_deadline_of_each_organ(district):
    assert deadlines.due_on(district["government"], 2025) == D(2026, 3, 31)
    assert deadlines.due_on(district["czj"], 2025) == D(2026, 1, 31)
    # a township government under the district reports like a department
    township = factories.DepartmentFactory(
        code="town", kind=Department.Kind.GOVERNMENT, parent=district["government"]
    )
    assert deadlines.due_on(township, 2025) == D(2026, 1, 31)


def test_each_report_carries_its_organs_name(district, quiet_summary):
    report = _publish(district, district["czj"], D(2026, 1, 20))
    assert str(report) == "区财政局2025年政府信息公开工作年度报告"
    assert report.revisions.get().title == "区财政局2025年政府信息公开工作年度报告"
    # one report per organ and year
    with pytest.raises(reports.ReportError, match="区财政局2025年度的报告已经存在"):
        reports.start_report(
            organ=district["czj"],
            year=2025,
            by=district["author"],
            now=timezone.now(),
            calendar=None,
        )


def _rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-organ="([^"]+)"[^>]*>(.*?)</tr>', page, re.S))


def test_the_office_sees_who_has_not_published_and_who_is_late(
    client, district, quiet_summary
):
    _publish(district, district["fgj"], D(2026, 1, 20))  # on time
    _publish(district, district["czj"], D(2026, 2, 5))  # five days late
    with mock.patch.object(timezone, "now", return_value=at(D(2026, 1, 25))):
        reports.start_report(
            organ=district["nyj"],
            year=2025,
            by=district["author"],
            now=timezone.now(),
            calendar=None,
        )  # a draft, not published
    client.force_login(district["publisher"])
    with mock.patch.object(timezone, "now", return_value=at(D(2026, 2, 10))):
        page = text(client.get("/workspace/oversight/annual/2025/"))
    rows = _rows(page)
    assert list(rows) == ["gov", "fgj", "czj", "nyj", "jyj"]  # no office, no inactive
    assert "2026-03-31" in rows["gov"] and "未到期" in rows["gov"]
    assert "本级政府" in rows["gov"]
    assert "2026-01-31" in rows["fgj"] and "按时" in rows["fgj"]
    assert "2026-01-20" in rows["fgj"]
    assert "逾期 5 天公布" in rows["czj"]
    assert "草稿" in rows["nyj"] and "已逾期 10 天，尚未公布" in rows["nyj"]
    assert "未开始" in rows["jyj"] and "已逾期 10 天，尚未公布" in rows["jyj"]
    assert "共 5 个机关，尚未公布 3 个，逾期 3 个。" in page


@pytest.mark.parametrize(
    ("day", "overdue", "lines"),
    [
        (
            D(2026, 1, 10),
            False,
            [
                "区财政局：须于2026年1月31日前公布",
                "示例区人民政府：须于2026年3月31日前公布",
            ],
        ),
        (
            D(2026, 2, 1),
            True,
            [
                "区财政局：已超过法定公布期限（2026年1月31日），至今尚未公布。",
                "示例区人民政府：须于2026年3月31日前公布",
            ],
        ),
        (
            D(2026, 4, 1),
            True,
            ["示例区人民政府：已超过法定公布期限（2026年3月31日），至今尚未公布。"],
        ),
    ],
)
def test_the_dashboard_names_each_organ_still_to_publish(
    client, district, quiet_summary, day, overdue, lines
):
    _publish(district, district["fgj"], D(2026, 1, 20))
    client.force_login(district["publisher"])
    with mock.patch.object(timezone, "now", return_value=at(day)):
        page = text(client.get("/workspace/oversight/"))
    assert "2025年度政府信息公开工作年度报告：尚有 4 个机关未公布。" in page
    assert ("deadline-overdue" in page) is overdue
    assert ('role="alert"' in page) is overdue
    for line in lines:
        assert line in without_tags(page)
    assert "区发展和改革局：" not in without_tags(page)  # published


def test_the_notice_goes_away_once_every_organ_has_published(
    client, district, quiet_summary
):
    for code in ("government", "fgj", "czj", "nyj", "jyj"):
        _publish(district, district[code], D(2026, 1, 20))
    client.force_login(district["publisher"])
    with mock.patch.object(timezone, "now", return_value=at(D(2026, 2, 5))):
        page = text(client.get("/workspace/oversight/"))
    assert "年度政府信息公开工作年度报告：尚有" not in page
    assert AnnualReport.objects.filter(published_at__isnull=False).count() == 5


def test_the_overview_and_the_public_list_cost_a_fixed_number_of_queries(
    client, district, quiet_summary, django_assert_max_num_queries
):
    for number in range(12):
        factories.DepartmentFactory(
            code=f"extra{number}", parent=district["government"]
        )
    for organ in Department.objects.filter(kind="department"):
        _publish(district, organ, D(2026, 1, 20))
    client.force_login(district["publisher"])
    # warm what every page reads once per process (session, site settings)
    client.get("/workspace/oversight/annual/2025/")
    with django_assert_max_num_queries(12):
        page = text(client.get("/workspace/oversight/annual/2025/"))
    assert page.count("data-organ=") == 17
    client.logout()
    with django_assert_max_num_queries(6):
        listing = text(client.get("/reports/annual/"))
    assert listing.count('href="/reports/annual/2025/') == 17  # the inactive one's too
