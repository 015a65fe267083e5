"""Demo data for the annual reports: the register of 行政规范性文件
(``demo_register.py``) and last year's annual reports of the
government and of every department, each started, filled in, submitted and
published through the real steps (``disclosure/oversight/annual/reports.py``)
by two different people, so that a visitor sees the 2021 format filled in
with figures that satisfy its rules. Idempotent: each part runs once per
database. Called by ``manage.py seed_demo`` after the demo items."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from catalog.models import Department
from catalog.organs import reporting_organs
from catalog.selectors import work_calendar
from disclosure.oversight.annual import reports
from disclosure.oversight.annual.forms import AnnualReportForm
from disclosure.oversight.annual.layout import (
    TABLE3_COLUMNS,
    TABLE3_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TEXT_FIELDS,
    t2_name,
    t3_name,
    t4_name,
    table2_cells,
)
from disclosure.oversight.models import AnnualReport

from .demo_register import (
    DEMO_AUTHORS,
    at,
    clock,
    seed_normative_documents,
    users_by_name,
)

# --- last year's annual reports ---------------------------------------------------------------

#: 第二十条第（五）（六）（八）项 per organ: licences, penalties, coercive
#: measures decided in the year; fees collected (万元).
TABLE2_FIGURES = {
    "fgj": (126, 0, 0, "0"),
    "czj": (0, 3, 0, "0"),
    "nyj": (84, 12, 2, "0"),
    "zjj": (352, 31, 4, "45.6"),
    "jyj": (28, 0, 0, "0"),
    "wjj": (611, 58, 6, "12.3"),
    "mzj": (17, 0, 0, "0"),
    "rsj": (43, 5, 0, "0"),
    "scj": (2108, 163, 21, "0"),
    "yjj": (26, 44, 9, "0"),
}


def _texts(organ, year: int, report: AnnualReport, table3: dict) -> dict:
    received = table3["new"][-1]
    handled = table3["total"][-1]
    granted = table3["granted"][-1] + table3["partly_granted"][-1]
    return {
        "overview": (
            f"{year}年，{organ.name}坚持以公开为常态、不公开为例外，按照《中华人民共和国"
            "政府信息公开条例》要求，完善政府信息公开工作机制，做好主动公开、依申请公开、"
            "政策解读和公开平台建设等工作。"
        ),
        "proactive_text": report.proactive_text
        + "\n行政规范性文件按规定统一登记、统一编号、统一印发，并在政府信息公开专栏集中公开，"
        "标明施行日期和有效期。",
        "requests_text": (
            f"{year}年，{organ.name}共收到政府信息公开申请{received}件，办结{handled}件，"
            f"其中予以公开或部分公开{granted}件；结转下年度继续办理"
            f"{table3['carried_out'][-1]}件。"
        ),
        "appeals_text": "因政府信息公开引起的行政复议、行政诉讼情况见下表。",
        "problems": (
            "一是部分信息发布不够及时，个别信息超过公开时限；二是政策解读形式较为单一。"
            "下一步将加强公开时效的日常监督，丰富图表、视频等解读形式。"
        ),
        "other_matters": "无其他需要报告的事项。",
    }


def _form_data(report, texts, table3, table4, figures) -> dict:
    data = {"version": report.version, "fees_charged": report.fees_charged}
    data.update(texts)
    table2 = dict(report.table2)
    licensing, penalty, coercion, amount = figures
    table2.update(
        {
            "licensing.decisions": licensing,
            "penalty.decisions": penalty,
            "coercion.decisions": coercion,
            "fees.amount": amount,
        }
    )
    for key, _row, _column in table2_cells():
        data[t2_name(key)] = table2[key]
    for key in TABLE3_KEYS:
        for index, (column, _label) in enumerate(TABLE3_COLUMNS):
            data[t3_name(key, column)] = table3[key][index]
    for group, _label in TABLE4_GROUPS:
        for index, (column, _label) in enumerate(TABLE4_COLUMNS):
            data[t4_name(group, column)] = table4[group][index]
    assert set(TEXT_FIELDS) <= set(data)  # noqa: S101 - the demo's own data
    return data


def seed_annual_reports(today: datetime.date) -> int:
    """Last year's reports of the government and every department, started
    by the organ's clerk (the office's administrator for organs without one),
    published by the office's reviewer. Returns how many were published."""
    year = today.year - 1
    if AnnualReport.objects.filter(year=year).exists():
        return 0
    users = users_by_name()
    organs = list(reporting_organs())
    now = timezone.now()
    calendar = work_calendar()
    published = 0
    for index, organ in enumerate(organs):
        author = users[DEMO_AUTHORS.get(organ.code, "admin")]
        planned = at(datetime.date(year + 1, 1, 6 + 2 * min(index, 11)), 10)
        if organ.kind == Department.Kind.GOVERNMENT and organ.parent_id is None:
            planned = at(datetime.date(year + 1, 1, 29), 15)
        moment = min(
            planned, now - datetime.timedelta(minutes=10 * (len(organs) - index))
        )
        with clock(moment - datetime.timedelta(minutes=4)):
            report = reports.start_report(
                organ=organ, year=year, by=author, now=timezone.now(), calendar=calendar
            )
            # Tables 三 and 四 and the fees: the register's, as started.
            table3, table4 = report.table3, report.table4
            form = AnnualReportForm(
                _form_data(
                    report,
                    _texts(organ, year, report, table3),
                    table3,
                    table4,
                    TABLE2_FIGURES.get(organ.code, (0, 0, 0, "0")),
                ),
                instance=report,
            )
            if not form.is_valid():
                raise ValueError(f"demo report of {organ.code}: {form.errors}")
            report = reports.save(
                report=AnnualReport.objects.get(pk=report.pk),
                form=form,
                by=author,
                expected_version=report.version,
            )
        with clock(moment - datetime.timedelta(minutes=2)):
            report = reports.submit(report=report, by=author)
        with clock(moment):
            reports.publish(report=report, by=users["reviewer"])
        published += 1
    return published


def seed(today: datetime.date | None = None) -> tuple[int, int]:
    """The register and last year's reports (once per database)."""
    today = today or timezone.localdate()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        documents = seed_normative_documents(today)
        published = seed_annual_reports(today)
    return documents, published
