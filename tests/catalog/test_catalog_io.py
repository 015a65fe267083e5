"""Import and export of the disclosure catalog (catalog/catalog_io/), the
admin pages that offer them and the management commands."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog import catalog_io, demo
from catalog.catalog_io import CatalogImportError, export_catalog, import_catalog
from catalog.models import (
    CatalogArea,
    CatalogEntry,
    Channel,
    Department,
    describe_time_limit,
)

pytestmark = pytest.mark.django_db

HEADER = list(catalog_io.STANDARD_HEADERS)
FULL_HEADER = list(catalog_io.HEADERS)
IMPORT_URL = "/admin/catalog/catalogentry/import/"
CHANGELIST_URL = "/admin/catalog/catalogentry/"


# --- Helpers ----------------------------------------------------------------


def snapshot():
    """Everything a reader of the catalog sees, in catalog order."""
    return [
        (
            entry.area.name,
            entry.order,
            entry.level1,
            entry.level2,
            entry.content,
            entry.basis,
            entry.time_limit_kind,
            entry.time_limit_days,
            entry.period,
            entry.counted_from,
            entry.fixed_month,
            entry.fixed_day,
            entry.time_limit_display,
            entry.responsible_department.code,
            tuple(channel.code for channel in entry.channels.all()),
            entry.audience,
            entry.mode,
            entry.level,
            entry.is_active,
        )
        for entry in CatalogEntry.objects.select_related(
            "area", "responsible_department"
        ).prefetch_related("channels")
    ]


def counts():
    return (
        CatalogEntry.objects.count(),
        CatalogArea.objects.count(),
        CatalogEntry.channels.through.objects.count(),
    )


def csv_bytes(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, merges=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def errors_of(data, fmt):
    with pytest.raises(CatalogImportError) as caught:
        import_catalog(data, fmt)
    return caught.value.errors


def row(
    area="测试领域",
    level1="一级",
    level2="二级",
    time_limit="信息形成或者变更之日起20个工作日内",
    department="区财政局",
    channels="政府网站",
    audience="全社会",
    mode="主动",
    order="1",
):
    return [
        order,
        area,
        level1,
        level2,
        "公开内容",
        "《中华人民共和国政府信息公开条例》",
        time_limit,
        department,
        channels,
        audience,
        mode,
        "县级",
    ]


@pytest.fixture
def catalog():
    """The demo catalog, with the cases a round trip could lose: an inactive
    entry, a public wording of the time limit that differs from the canonical
    one, text that looks like a spreadsheet formula, an entry without 二级事项
    and all the channels with a “/” in their name."""
    demo.seed_catalog()
    entries = list(CatalogEntry.objects.order_by("pk"))
    entries[0].is_active = False
    entries[0].save()
    entries[1].time_limit_text = "项目批准后实时公开"
    entries[1].content = "=SUM(A1:A2) 不是公式"
    entries[1].save()
    entries[2].level2 = ""
    entries[2].basis = "-《建设工程质量管理条例》\n第二行"
    entries[2].save()
    entries[3].channels.set(
        Channel.objects.filter(
            code__in=["press-hearing", "door-to-door", "notice-board", "website"]
        )
    )
    entries[4].audience = CatalogEntry.Audience.SPECIFIC
    entries[4].mode = CatalogEntry.Mode.ON_REQUEST
    entries[4].save()
    return entries


# --- Export -----------------------------------------------------------------


def test_csv_export_has_the_standard_columns_then_machine_columns(catalog):
    data = export_catalog("csv")

    assert data.startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows needs it
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == FULL_HEADER
    assert len(rows) == 1 + CatalogEntry.objects.count()
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["领域"] == "重大建设项目"
    assert first["公开时限"] == "信息形成或者变更之日起20个工作日内"
    assert first["公开主体"] == "区发展和改革局"
    assert first["公开渠道和载体"] == "政府网站、两微一端"
    assert first["启用"] == "否"
    assert first["时限类型"] == "working_days"
    assert first["时限工作日"] == "20"
    periodic = next(r for r in rows if r[3] == "专项资金管理办法和分配结果")
    assert periodic[6] == "每季度结束后10个工作日内"
    assert periodic[12:15] == ["periodic", "10", "quarterly"]
    # A cell that starts like a formula is escaped for spreadsheet programs.
    assert any(r[4] == "'=SUM(A1:A2) 不是公式" for r in rows)


def test_xlsx_export_writes_numbers_and_text_never_formulas(catalog):
    rows = read_xlsx(export_catalog("xlsx"))

    assert rows[0] == FULL_HEADER
    assert rows[1][0] == 1
    assert rows[1][13] == 20
    assert "=SUM(A1:A2) 不是公式" in [r[4] for r in rows]


def test_export_is_in_chinese_whatever_the_page_language(catalog):
    from django.utils import translation

    with translation.override("en"):
        data = export_catalog("csv").decode("utf-8-sig")
    assert "全社会" in data
    assert ",是\r\n" in data


# --- Round trip ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_delete_import_gives_the_same_catalog(catalog, fmt):
    before = snapshot()
    data = export_catalog(fmt)
    CatalogEntry.objects.all().delete()
    CatalogArea.objects.all().delete()

    result = import_catalog(data, fmt)

    assert result == catalog_io.ImportResult(created=len(before), updated=0)
    assert snapshot() == before
    assert list(CatalogArea.objects.values_list("name", flat=True)) == [
        "重大建设项目",
        "财政预决算",
        "涉农补贴",
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_export_updates_in_place(catalog, fmt):
    before = snapshot()
    ids = set(CatalogEntry.objects.values_list("pk", flat=True))

    result = import_catalog(export_catalog(fmt), fmt)

    assert result.created == 0
    assert result.updated == len(before)
    assert snapshot() == before
    assert set(CatalogEntry.objects.values_list("pk", flat=True)) == ids


def test_import_updates_the_matching_entry(catalog):
    rows = list(csv.reader(io.StringIO(export_catalog("csv").decode("utf-8-sig"))))
    target = next(r for r in rows if r[3] == "政府预算")
    target[4] = "新的公开内容"
    target[6] = "实时公开"
    target[12:18] = ["realtime", "", "", "", "", "否"]
    target[8] = "政府网站、12345热线"

    result = import_catalog(csv_bytes(rows), "csv")

    entry = CatalogEntry.objects.get(level2="政府预算")
    assert result.created == 0
    assert entry.content == "新的公开内容"
    assert entry.time_limit_display == "实时公开"
    assert entry.time_limit_days is None
    assert entry.is_active is False
    assert [c.name for c in entry.channels.all()] == ["政府网站", "12345热线"]


def test_import_accepts_a_file_object_and_guesses_the_format(catalog):
    upload = SimpleUploadedFile("目录.xlsx", export_catalog("xlsx"))
    assert import_catalog(upload).updated == len(catalog)


# --- All or nothing -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_rows_are_all_reported_and_nothing_is_written(catalog, fmt):
    rows = [
        HEADER,
        row(level1="新事项", level2="好的一行"),  # 2: fine on its own
        row(level2="机构不存在", department="区不存在局"),  # 3
        row(level2="时限看不懂", time_limit="尽快公开"),  # 4
        row(level2="渠道不存在", channels="政府网站、飞鸽传书"),  # 5
        row(level1=""),  # 6
    ]
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    before_counts, before = counts(), snapshot()

    errors = errors_of(data, fmt)

    found = {(error.row, error.column) for error in errors}
    assert found == {
        (3, "公开主体"),
        (4, "公开时限"),
        (5, "公开渠道和载体"),
        (6, "一级事项"),
    }
    messages = {(error.row, error.column): error.message for error in errors}
    assert "区不存在局" in messages[3, "公开主体"]
    assert "尽快公开" in messages[4, "公开时限"]
    assert "飞鸽传书" in messages[5, "公开渠道和载体"]
    assert "一级事项不能为空" in messages[6, "一级事项"]
    assert str(errors[0]).startswith("第3行“公开主体”：")
    # Not even the good row before the bad ones, nor its new area.
    assert counts() == before_counts
    assert snapshot() == before
    assert not CatalogEntry.objects.filter(level2="好的一行").exists()
    assert not CatalogArea.objects.filter(name="测试领域").exists()


def test_model_validation_errors_name_row_and_column(catalog):
    rows = [
        FULL_HEADER,
        [*row(level2="x" * 101), "working_days", "20", "", "", "", "是"],
        [*row(level2="定期缺周期"), "periodic", "10", "", "", "", "是"],
        [*row(level2="工作日太多"), "working_days", "400", "", "", "", "是"],
        [*row(level2="类型不对"), "sometimes", "", "", "", "", "是"],
        [*row(level2="启用不对"), "realtime", "", "", "", "", "也许"],
        [*row(level2="起算不对"), "calendar_days", "20", "", "someday", "", "是"],
        [*row(level2="日期不对"), "fixed_date", "", "", "", "02-30", "是"],
        [*row(level2="日期格式"), "fixed_date", "", "", "", "3月底", "是"],
    ]
    before = counts()

    errors = errors_of(csv_bytes(rows), "csv")

    assert {(error.row, error.column) for error in errors} == {
        (2, "二级事项"),
        (3, "公开周期"),
        (4, "时限工作日"),
        (5, "时限类型"),
        (6, "启用"),
        (7, "时限起算事件"),
        (8, "固定日期"),
        (9, "固定日期"),
    }
    assert counts() == before


def test_calendar_days_from_approval_and_fixed_dates_import_and_round_trip(catalog):
    """预算法 §14 (20 days from approval) and 每年3月底前 were refused before."""
    rows = [
        HEADER,
        row(level2="预算（自然日）", time_limit="财政部门批复之日起20日内"),
        row(level2="年度数据", time_limit="每年3月底前"),
    ]
    assert import_catalog(csv_bytes(rows), "csv").created == 2
    budget = CatalogEntry.objects.get(level2="预算（自然日）")
    assert (budget.time_limit_kind, budget.time_limit_days, budget.counted_from) == (
        "calendar_days",
        20,
        "approved",
    )
    yearly = CatalogEntry.objects.get(level2="年度数据")
    assert (yearly.time_limit_kind, yearly.fixed_month, yearly.fixed_day) == (
        "fixed_date",
        3,
        31,
    )
    before = snapshot()
    for fmt in ("csv", "xlsx"):
        data = export_catalog(fmt)
        CatalogEntry.objects.all().delete()
        CatalogArea.objects.all().delete()
        import_catalog(data, fmt)
        assert snapshot() == before


def test_the_same_entry_twice_is_an_error(catalog):
    rows = [HEADER, row(), row(order="2")]
    errors = errors_of(csv_bytes(rows), "csv")
    assert [(e.row, e.column) for e in errors] == [(3, "二级事项")]
    assert "第2行" in errors[0].message


def test_row_numbers_count_blank_lines_as_in_the_spreadsheet(catalog):
    text = (
        ",".join(HEADER)
        + "\r\n\r\n"
        + ",".join(row(level2="甲"))
        + "\r\n,,,,\r\n"
        + ",".join(row(level2="乙", department="无此局"))
        + "\r\n"
    )
    errors = errors_of(text.encode(), "csv")
    assert [(e.row, e.column) for e in errors] == [(5, "公开主体")]


def test_blank_lines_are_skipped():
    demo.seed_catalog()
    text = "\r\n" + ",".join(HEADER) + "\r\n\r\n" + ",".join(row()) + "\r\n\r\n"
    assert import_catalog(text.encode(), "csv").created == 1


# --- Files that are not catalogues ------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"", "csv", "文件是空的"),
        (b"\xef\xbb\xbf\r\n\r\n", "csv", "文件是空的"),
        (b"", "xlsx", "文件是空的"),
        (b"PK\x03\x04 not really a zip", "xlsx", "不是有效的 XLSX"),
        (b"%PDF-1.4 a pdf", "xlsx", "不是有效的 XLSX"),
        (b"\x00\x01\x02\xff\xfe\x80", "csv", "编码"),
    ],
)
def test_unreadable_files_give_one_clear_error(data, fmt, message):
    demo.seed_catalog()
    errors = errors_of(data, fmt)
    assert len(errors) == 1
    assert errors[0].row is None
    assert message in errors[0].message


def test_an_empty_workbook_is_an_empty_file():
    errors = errors_of(xlsx_bytes([]), "xlsx")
    assert "文件是空的" in errors[0].message


def test_header_only_is_reported():
    errors = errors_of(csv_bytes([FULL_HEADER]), "csv")
    assert "没有事项" in errors[0].message


def test_xlsx_uploaded_as_csv_is_recognised(catalog):
    errors = errors_of(export_catalog("xlsx"), "csv")
    assert "XLSX" in errors[0].message


def test_missing_columns_are_named():
    demo.seed_catalog()
    header = [h for h in HEADER if h not in ("公开主体", "领域")]
    data = csv_bytes([header, ["1", "一级", "二级"]])

    errors = errors_of(data, "csv")

    assert [(e.row, e.column) for e in errors] == [(1, "领域"), (1, "公开主体")]
    assert "缺少“公开主体”列" in errors[1].message


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("目录.csv", b"a,b", "csv"),
        ("目录.txt", b"a,b", "csv"),
        ("目录", b"a,b", "csv"),
        ("目录.xlsx", b"PK\x03\x04...", "xlsx"),
        ("renamed.csv", b"PK\x03\x04...", "xlsx"),
    ],
)
def test_detect_format(filename, data, expected):
    assert catalog_io.detect_format(filename, data) == expected


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("目录.xls", b"\xd0\xcf\x11\xe0rest", "旧版 Excel"),
        ("目录.xlsx", b"a,b,c", "不是有效的 XLSX"),
        ("目录.pdf", b"%PDF", "只能导入 CSV 或 XLSX"),
    ],
)
def test_detect_format_refuses_other_files(filename, data, message):
    with pytest.raises(CatalogImportError) as caught:
        catalog_io.detect_format(filename, data)
    assert message in str(caught.value)


# --- Encodings ----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_of_chinese_excel(encoding):
    demo.seed_catalog()
    rows = [HEADER, row(area="社会救助", level1="低保", level2="低保对象名单")]

    result = import_catalog(csv_bytes(rows, encoding), "csv")

    assert result.created == 1
    entry = CatalogEntry.objects.get(level2="低保对象名单")
    assert entry.area.name == "社会救助"
    assert entry.level1 == "低保"
    assert entry.responsible_department.name == "区财政局"
    assert entry.content == "公开内容"


def test_tab_separated_utf16_text_from_excel():
    demo.seed_catalog()
    lines = ["\t".join(HEADER), "\t".join(row(level2="制表符分隔"))]
    data = "\r\n".join(lines).encode("utf-16")
    assert import_catalog(data, "csv").created == 1
    assert CatalogEntry.objects.filter(level2="制表符分隔").exists()


# --- Catalogues from elsewhere ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("信息形成或者变更之日起20个工作日内", ("working_days", 20, "")),
        ("形成或变更之日起20个工作日内", ("working_days", 20, "")),
        ("自信息形成或者变更之日起二十个工作日内予以公开", ("working_days", 20, "")),
        ("形成或变更之日起１５个工作日内", ("working_days", 15, "")),
        ("实时公开", ("realtime", None, "")),
        ("实时", ("realtime", None, "")),
        ("长期公开", ("standing", None, "")),
        ("每季度结束后10个工作日内", ("periodic", 10, "quarterly")),
        ("每月结束后5个工作日内", ("periodic", 5, "monthly")),
        ("每半年结束后20个工作日内", ("periodic", 20, "half_yearly")),
        ("每年结束后二十个工作日内", ("periodic", 20, "yearly")),
        ("尽快公开", None),
        ("30日内", None),  # from when?
        ("", None),
    ],
)
def test_parse_time_limit(text, expected):
    parsed = catalog_io.parse_time_limit(text)
    assert (parsed[:3] if parsed else parsed) == expected
    if parsed:
        assert parsed.counted_from == "formed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 预算法 §14: calendar days from approval.
        ("批准后20日内", ("calendar_days", 20, "", "approved", None, None)),
        (
            "财政部门批复之日起二十日内",
            ("calendar_days", 20, "", "approved", None, None),
        ),
        ("批准或者批复之日起20日内", ("calendar_days", 20, "", "approved", None, None)),
        ("信息形成之日起30日内", ("calendar_days", 30, "", "formed", None, None)),
        ("批复之日起20个工作日内", ("working_days", 20, "", "approved", None, None)),
        ("信息变更之日起10个工作日内", ("working_days", 10, "", "changed", None, None)),
        ("每年3月底前", ("fixed_date", None, "", "formed", 3, 31)),
        ("每年1月31日前", ("fixed_date", None, "", "formed", 1, 31)),
        ("每年2月底前", ("fixed_date", None, "", "formed", 2, 28)),
        ("每年13月1日前", None),
        ("每年2月30日前", None),
    ],
)
def test_parse_time_limits_in_calendar_days_from_an_event_and_fixed_dates(
    text, expected
):
    parsed = catalog_io.parse_time_limit(text)
    assert (tuple(parsed) if parsed else parsed) == expected


@pytest.mark.parametrize(
    ("kind", "days", "period"),
    [
        ("working_days", 20, ""),
        ("working_days", 1, ""),
        ("realtime", None, ""),
        ("standing", None, ""),
        ("periodic", 5, "monthly"),
        ("periodic", 10, "quarterly"),
        ("periodic", 15, "half_yearly"),
        ("periodic", 20, "yearly"),
    ],
)
def test_the_canonical_wording_parses_back(kind, days, period):
    text = describe_time_limit(kind, days, period)
    assert catalog_io.parse_time_limit(text)[:3] == (kind, days, period)


@pytest.mark.parametrize(
    "limit",
    [
        ("calendar_days", 20, "", "approved", None, None),
        ("calendar_days", 30, "", "formed", None, None),
        ("working_days", 20, "", "approved", None, None),
        ("working_days", 15, "", "changed", None, None),
        ("fixed_date", None, "", "formed", 3, 31),
        ("fixed_date", None, "", "formed", 1, 31),
    ],
)
def test_the_canonical_wording_of_the_new_kinds_parses_back(limit):
    kind, days, period, event, month, day = limit
    text = describe_time_limit(
        kind, days, period, counted_from=event, fixed_month=month, fixed_day=day
    )
    assert tuple(catalog_io.parse_time_limit(text)) == limit


def test_a_lone_cell_is_a_note_only_when_it_says_so():
    demo.seed_catalog()
    rows = [HEADER, row(), ["注：本目录每年更新。"], ["注册登记"]]
    errors = errors_of(csv_bytes(rows), "csv")
    assert {e.row for e in errors} == {4}


def test_external_catalogue_without_machine_columns():
    demo.seed_catalog()
    rows = [
        HEADER,
        [
            "1",
            "社会救助",
            "最低生活保障",
            "审核审批信息",
            "救助对象姓名、保障人数、救助金额",
            "《社会救助暂行办法》",
            "形成或变更之日起20个工作日内",
            "mzj",  # the department's code
            "政府网站、发布会/听证会/入户/现场、社区/村公示栏（电子屏）",
            "特定群体",
            "依申请",
            "县级、乡级",
        ],
        [
            "2",
            "社会救助",
            "最低生活保障",
            "办事指南",
            "申请条件、办理流程",
            "《社会救助暂行办法》",
            "实时",
            "区政府",  # the government's short name
            "政府网站/精准推送；12345热线",
            "全社会",
            "主动公开",
            "县级",
        ],
        [
            "3",
            "社会救助",
            "资金管理",
            "",
            "资金分配结果",
            "",
            "每季度结束后10个工作日内",
            "区民政局",
            "社区/村公示栏(电子屏)",
            "",
            "",
            "",
        ],
        [
            "4",
            "社会救助",
            "监督",
            "投诉举报",
            "",
            "",
            "长期公开",
            "区民政局",
            "",
            "",
            "",
            "",
        ],
    ]

    result = import_catalog(csv_bytes(rows), "csv")

    assert result == catalog_io.ImportResult(created=4, updated=0)
    area = CatalogArea.objects.get(name="社会救助")
    assert area.order > CatalogArea.objects.get(name="涉农补贴").order
    first, second, third, fourth = area.entries.order_by("order")
    assert first.time_limit_kind == "working_days"
    assert first.time_limit_days == 20
    assert first.time_limit_display == "形成或变更之日起20个工作日内"
    assert first.responsible_department.code == "mzj"
    assert [c.name for c in first.channels.all()] == [
        "政府网站",
        "发布会/听证会",
        "入户/现场",
        "社区/村公示栏（电子屏）",
    ]
    assert first.audience == CatalogEntry.Audience.SPECIFIC
    assert first.mode == CatalogEntry.Mode.ON_REQUEST
    assert first.level == "县级、乡级"
    assert second.time_limit_kind == "realtime"
    assert second.responsible_department.code == "gov"
    assert {c.name for c in second.channels.all()} == {
        "政府网站",
        "精准推送",
        "12345热线",
    }
    assert second.mode == CatalogEntry.Mode.PROACTIVE
    assert (third.time_limit_kind, third.time_limit_days, third.period) == (
        "periodic",
        10,
        "quarterly",
    )
    assert third.time_limit_text == ""  # the canonical wording
    assert third.level2 == ""
    assert third.audience == CatalogEntry.Audience.PUBLIC  # blank: the default
    assert fourth.time_limit_kind == "standing"
    assert list(fourth.channels.all()) == []


def test_standard_catalogue_spreadsheet_with_title_two_row_header_and_ticks():
    """The layout of the State Council's standard catalogues: a title row,
    公开事项 over 一级/二级事项, 公开对象/方式/层级 over ticked sub-columns, merged
    cells for the 一级事项 shared by several rows, and a foot note."""
    demo.seed_catalog()
    rows = [
        ["涉农补贴领域基层政务公开标准目录"],
        [
            "序号",
            "领域",
            "公开事项",
            None,
            "公开内容（要素）",
            "公开依据",
            "公开时限",
            "公开主体",
            "公开渠道和载体",
            "公开对象",
            None,
            "公开方式",
            None,
            "公开层级",
            None,
        ],
        [
            None,
            None,
            "一级事项",
            "二级事项",
            None,
            None,
            None,
            None,
            None,
            "全社会",
            "特定群体",
            "主动",
            "依申请",
            "县级",
            "乡、村级",
        ],
        [
            1,
            "惠农补贴",
            "政策文件",
            "补贴政策",
            "补贴对象、标准",
            "《政府信息公开条例》",
            "信息形成或者变更之日起20个工作日内",
            "区农业农村局",
            "政府网站、社区/村公示栏（电子屏）",
            "√",
            "×",  # a cross means “no”
            "√",
            None,
            "√",
            "√",
        ],
        [
            2,
            "惠农补贴",
            None,  # merged with the 政策文件 above
            "补贴申报指南",
            "申报条件、流程",
            "《政府信息公开条例》",
            "实时公开",
            "区农业农村局",
            "政府网站",
            None,
            "√",
            None,
            "√",
            "√",
            None,
        ],
        ["注：本目录由区农业农村局负责解释。"],
    ]
    data = xlsx_bytes(rows, merges=["A1:O1", "C2:D2", "J2:K2", "C4:C5"])

    result = import_catalog(data, "xlsx")

    assert result.created == 2
    first = CatalogEntry.objects.get(area__name="惠农补贴", level2="补贴政策")
    second = CatalogEntry.objects.get(area__name="惠农补贴", level2="补贴申报指南")
    assert second.level1 == "政策文件"
    assert first.area.name == "惠农补贴"
    assert first.level == "县级、乡、村级"
    assert first.audience == CatalogEntry.Audience.PUBLIC
    assert second.audience == CatalogEntry.Audience.SPECIFIC
    assert second.mode == CatalogEntry.Mode.ON_REQUEST
    assert second.level == "县级"
    assert second.time_limit_kind == "realtime"


def test_errors_in_a_standard_spreadsheet_name_spreadsheet_rows():
    demo.seed_catalog()
    rows = [
        ["某某领域基层政务公开标准目录"],
        HEADER,
        row(department="相关审批部门"),
    ]
    errors = errors_of(xlsx_bytes(rows, merges=["A1:L1"]), "xlsx")
    assert [(e.row, e.column) for e in errors] == [(3, "公开主体")]
    assert "相关审批部门" in errors[0].message


def test_department_names_shared_by_two_departments_need_the_code():
    departments = demo.seed_catalog()
    Department.objects.create(code="zjj-bgs", name="办公室", parent=departments["zjj"])
    Department.objects.create(code="czj-bgs", name="办公室", parent=departments["czj"])

    errors = errors_of(csv_bytes([HEADER, row(department="办公室")]), "csv")
    assert "对应多个机构" in errors[0].message

    result = import_catalog(csv_bytes([HEADER, row(department="czj-bgs")]), "csv")
    assert result.created == 1
    entry = CatalogEntry.objects.get(level2="二级")
    assert entry.responsible_department.code == "czj-bgs"
    # The export writes the code where the name is ambiguous, so it imports back.
    exported = export_catalog("csv").decode("utf-8-sig")
    assert ",czj-bgs," in exported
    assert import_catalog(exported.encode(), "csv").created == 0


# --- Admin ----------------------------------------------------------------------


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_changelist_offers_import_and_export(admin_client, catalog):
    response = admin_client.get(CHANGELIST_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert IMPORT_URL in page
    assert "/admin/catalog/catalogentry/export/xlsx/" in page
    assert "/admin/catalog/catalogentry/export/csv/" in page
    assert "导出所选事项（XLSX）" in page
    assert "导出所选事项（CSV）" in page
    assert "style=" not in page.split('id="content-main"')[1].split("</ul>")[0]


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_admin_export_of_the_whole_catalog(admin_client, catalog, fmt, content_type):
    response = admin_client.get(f"/admin/catalog/catalogentry/export/{fmt}/")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]
    assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "xlsx":
        # The same cells (the zip's own timestamps may differ by a second).
        assert _cells(response.content) == _cells(export_catalog(fmt))
    else:
        assert response.content == export_catalog(fmt)


def _cells(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_admin_export_of_an_unknown_format_is_404(admin_client, catalog):
    assert (
        admin_client.get("/admin/catalog/catalogentry/export/pdf/").status_code == 404
    )


def test_admin_action_exports_the_selected_entries(admin_client, catalog):
    chosen = [catalog[5], catalog[2]]
    response = admin_client.post(
        CHANGELIST_URL,
        {
            "action": "export_selected_csv",
            "_selected_action": [entry.pk for entry in chosen],
        },
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == FULL_HEADER
    # In catalog order, whatever the order of selection.
    assert [r[2] for r in rows[1:]] == [catalog[2].level1, catalog[5].level1]


def test_admin_action_exports_xlsx(admin_client, catalog):
    response = admin_client.post(
        CHANGELIST_URL,
        {"action": "export_selected_xlsx", "_selected_action": [catalog[0].pk]},
    )
    rows = read_xlsx(response.content)
    assert len(rows) == 2
    assert rows[1][3] == catalog[0].level2


def test_admin_import_page_shows_the_form(admin_client, catalog):
    response = admin_client.get(IMPORT_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "导入公开目录" in page
    assert 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "公开渠道和载体" in page
    assert "<script>" not in page
    assert 'style="' not in page


def test_admin_import_shows_every_error_and_keeps_the_form(admin_client, catalog):
    data = csv_bytes(
        [
            HEADER,
            row(level2="好的一行"),
            row(level2="坏的一行", department="区不存在局", time_limit="尽快"),
        ]
    )
    before = counts()

    response = admin_client.post(IMPORT_URL, {"file": upload("目录.csv", data)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "文件未导入：发现 2 处错误" in page
    assert "第3行" in page
    assert "公开主体" in page
    assert "找不到机构“区不存在局”" in page
    assert "无法识别公开时限“尽快”" in page
    assert 'type="file"' in page
    assert counts() == before

    # The page keeps working: the corrected file goes in.
    fixed = csv_bytes([HEADER, row(level2="好的一行"), row(level2="坏的一行")])
    response = admin_client.post(
        IMPORT_URL, {"file": upload("目录.csv", fixed)}, follow=True
    )
    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert "导入完成：新增 2 条，更新 0 条。" in response.content.decode()
    assert CatalogEntry.objects.filter(level2__in=["好的一行", "坏的一行"]).count() == 2


def test_admin_import_of_an_export_reports_the_updates(admin_client, catalog):
    response = admin_client.post(
        IMPORT_URL, {"file": upload("目录.xlsx", export_catalog("xlsx"))}, follow=True
    )
    assert f"新增 0 条，更新 {len(catalog)} 条" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("目录.pdf", b"%PDF-1.4", "只能导入 CSV 或 XLSX 文件"),
        ("目录.xls", b"\xd0\xcf\x11\xe0....", "不支持旧版 Excel"),
        ("目录.xlsx", b"PK\x03\x04broken", "不是有效的 XLSX 文件"),
        ("目录.csv", b"", "文件是空的"),
    ],
)
def test_admin_import_of_wrong_files(admin_client, catalog, name, data, message):
    before = counts()
    response = admin_client.post(IMPORT_URL, {"file": upload(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_admin_import_without_a_file(admin_client, catalog):
    response = admin_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "请选择要导入的文件" in response.content.decode()


def test_anonymous_and_non_staff_users_cannot_reach_the_import(
    client, django_user_model, catalog
):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    user = django_user_model.objects.create_user("citizen", password="x-long-pass")
    client.force_login(user)
    response = client.post(
        IMPORT_URL, {"file": upload("目录.csv", csv_bytes([HEADER, row()]))}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/catalog/catalogentry/export/csv/").status_code == 302
    assert not CatalogEntry.objects.filter(area__name="测试领域").exists()


def test_staff_needs_add_and_change_permission_to_import(
    client, django_user_model, catalog
):
    staff = django_user_model.objects.create_user(
        "clerk", password="x-long-pass", is_staff=True
    )
    staff.user_permissions.add(
        Permission.objects.get(codename="view_catalogentry"),
        Permission.objects.get(codename="change_catalogentry"),
    )
    client.force_login(staff)

    changelist = client.get(CHANGELIST_URL).content.decode()
    assert "/admin/catalog/catalogentry/export/csv/" in changelist
    assert IMPORT_URL not in changelist
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(
        IMPORT_URL, {"file": upload("目录.csv", csv_bytes([HEADER, row()]))}
    )
    assert response.status_code == 403
    assert not CatalogEntry.objects.filter(area__name="测试领域").exists()

    staff.user_permissions.add(Permission.objects.get(codename="add_catalogentry"))
    staff = django_user_model.objects.get(pk=staff.pk)  # drop the permission cache
    client.force_login(staff)
    assert client.get(IMPORT_URL).status_code == 200
    assert IMPORT_URL in client.get(CHANGELIST_URL).content.decode()


# --- Management commands --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_and_import_commands_round_trip(catalog, tmp_path, fmt):
    before = snapshot()
    target = tmp_path / f"目录.{fmt}"
    out = io.StringIO()

    call_command("export_catalog", "--format", fmt, "-o", str(target), stdout=out)
    assert str(target) in out.getvalue()
    CatalogEntry.objects.all().delete()

    out = io.StringIO()
    call_command("import_catalog", str(target), stdout=out)

    assert f"新增 {len(before)} 条，更新 0 条" in out.getvalue()
    assert snapshot() == before


def test_export_command_writes_csv_to_stdout(catalog):
    out = io.StringIO()
    call_command("export_catalog", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == FULL_HEADER
    assert len(rows) == 1 + len(catalog)
    # Escaped against formula injection; the import takes the apostrophe off.
    assert rows[3][5] == "'-《建设工程质量管理条例》\n第二行"


def test_export_command_takes_the_format_from_the_file_name(catalog, tmp_path):
    target = tmp_path / "catalog.xlsx"
    call_command("export_catalog", "-o", str(target), stdout=io.StringIO())
    assert read_xlsx(target.read_bytes())[0] == FULL_HEADER


def test_export_command_refuses_xlsx_on_stdout(catalog):
    with pytest.raises(CommandError, match="-o"):
        call_command("export_catalog", "--format", "xlsx", stdout=io.StringIO())


def test_import_command_prints_errors_and_fails(catalog, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_bytes(
        csv_bytes([HEADER, row(level2="好"), row(level2="坏", channels="信鸽")])
    )
    before = counts()
    err = io.StringIO()

    with pytest.raises(CommandError, match="共 1 处错误，未写入任何数据"):
        call_command("import_catalog", str(source), stdout=io.StringIO(), stderr=err)

    assert "第3行“公开渠道和载体”：找不到公开渠道“信鸽”" in err.getvalue()
    assert counts() == before


def test_import_command_with_explicit_format_and_missing_file(catalog, tmp_path):
    source = tmp_path / "catalog.data"
    source.write_bytes(export_catalog("xlsx"))
    out = io.StringIO()
    call_command("import_catalog", str(source), "--format", "xlsx", stdout=out)
    assert "更新" in out.getvalue()

    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_catalog", str(tmp_path / "nope.csv"))
