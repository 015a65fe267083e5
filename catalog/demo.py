"""Demo data for the catalog: a district government, its departments, three
catalog areas and the demo staff accounts. Idempotent."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .element_models import sync_elements
from .models import CatalogArea, CatalogEntry, Channel, Department, Membership

GOVERNMENT = {
    "code": "gov",
    "name": "示例区人民政府",
    "short_name": "区政府",
    "kind": Department.Kind.GOVERNMENT,
    "publisher_code": "11330110002492140G",
    "address": "示例市示例区人民大道1号",
    "office_hours": "工作日 上午8:30-12:00，下午14:00-17:30",
    "phone": "0571-88880000",
    "fax": "0571-88880001",
    "email": "gk@example.gov.cn",
    "postcode": "310000",
}

# (code, name, publisher code, phone suffix, disclosure office?)
DEPARTMENTS = [
    ("gkb", "区人民政府办公室（区政务公开办公室）", "11330110002492141A", "01", True),
    ("fgj", "区发展和改革局", "113301100024921529", "02", False),
    ("czj", "区财政局", "11330110002492153B", "03", False),
    ("nyj", "区农业农村局", "11330110002492154C", "04", False),
    ("zjj", "区住房和城乡建设局", "11330110002492155D", "05", False),
    ("jyj", "区教育局", "11330110002492156E", "06", False),
    ("wjj", "区卫生健康局", "11330110002492157F", "07", False),
    ("mzj", "区民政局", "11330110002492158G", "08", False),
    ("rsj", "区人力资源和社会保障局", "11330110002492159H", "09", False),
    ("scj", "区市场监督管理局", "11330110002492160J", "10", False),
    ("yjj", "区应急管理局", "11330110002492161K", "11", False),
]

# Offices inside a department publish under the department's code; each has
# its own room and extension (the guide lists them under their department).
# (code, department, name, room, extension)
OFFICES = [
    ("czj-ys", "czj", "预算科", "305室", "31"),
    ("nyj-bt", "nyj", "计划财务科（补贴发放）", "210室", "41"),
]

# Departments that publish their own 部门预算 and 部门决算 (预算法 §14: each
# department within 20 days of the finance department's 批复).
BUDGET_DEPARTMENTS = ["fgj", "czj", "nyj", "zjj"]
BASIS_BUDGET = "《中华人民共和国预算法》第十四条"

WEB = ["website"]
WEB_APP = ["website", "weibo-wechat-app"]
WEB_BOARD = ["website", "weibo-wechat-app", "notice-board", "service-station"]
BASIS_REGULATIONS = "《中华人民共和国政府信息公开条例》"

# (area, [(level1, level2, content, basis, kind, days, period, department, channels)])
CATALOG = [
    (
        "重大建设项目",
        [
            (
                "批准服务信息",
                "申报要求",
                "申报条件、申报材料清单、申报流程、受理机构联系方式（地址和电话）",
                BASIS_REGULATIONS + "《企业投资项目核准和备案管理条例》",
                "working_days",
                20,
                "",
                "fgj",
                WEB_APP,
            ),
            (
                "批准服务信息",
                "办事指南",
                "事项名称、设定依据（法律法规和规范性文件）、申请条件、申请材料（材料清单和样表）、"
                "办理流程、收费标准（不收费的写明不收费）、办理时限、咨询投诉电话",
                BASIS_REGULATIONS + "《企业投资项目核准和备案管理条例》",
                "realtime",
                None,
                "",
                "fgj",
                WEB_APP,
            ),
            (
                "批准结果信息",
                "审批、核准、备案结果",
                "项目名称、建设单位、批准机关、批准文号、批准日期、建设规模、总投资（可选：万元）",
                BASIS_REGULATIONS
                + "《关于推进重大建设项目批准和实施领域政府信息公开的意见》",
                "working_days",
                20,
                "",
                "fgj",
                WEB,
            ),
            (
                "招标投标信息",
                "招标公告、中标候选人公示",
                "招标条件、项目概况（建设地点、规模、计划工期）、投标人资格要求、"
                "招标文件的获取、投标文件的递交、联系方式、"
                "中标候选人及其排序（可选：中标候选人公示时填写）",
                BASIS_REGULATIONS + "《中华人民共和国招标投标法》",
                "working_days",
                20,
                "",
                "zjj",
                WEB_APP,
            ),
            (
                "施工有关信息",
                "项目法人单位及其主要负责人信息",
                "项目法人单位名称、主要负责人、设计单位、施工单位、监理单位",
                BASIS_REGULATIONS,
                "working_days",
                20,
                "",
                "zjj",
                WEB,
            ),
            (
                "质量安全监督信息",
                "质量安全监督机构及联系方式、检查结果",
                "监督机构名称和联系方式、监督检查结果、整改情况（可选：有整改要求时）",
                BASIS_REGULATIONS + "《建设工程质量管理条例》",
                "working_days",
                20,
                "",
                "zjj",
                WEB,
            ),
            (
                "竣工有关信息",
                "竣工验收",
                "竣工验收时间、工程质量验收结果",
                BASIS_REGULATIONS + "《建设工程质量管理条例》",
                "working_days",
                20,
                "",
                "zjj",
                WEB,
            ),
        ],
    ),
    (
        "财政预决算",
        [
            (
                "政府预决算",
                "政府预算",
                "一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算、"
                "预算说明（重要事项的解释）",
                BASIS_REGULATIONS + BASIS_BUDGET,
                "calendar_days",
                20,
                "",
                "czj",
                WEB,
            ),
            (
                "政府预决算",
                "政府决算",
                "一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金决算、"
                "决算说明（重要事项的解释）",
                BASIS_REGULATIONS + BASIS_BUDGET,
                "calendar_days",
                20,
                "",
                "czj",
                WEB,
            ),
            (
                "财政专项资金",
                "专项资金管理办法和分配结果",
                "资金管理办法、分配原则、分配结果（按项目和单位列明）",
                BASIS_REGULATIONS + "《财政部关于推进财政专项资金信息公开的通知》",
                "periodic",
                10,
                "quarterly",
                "czj",
                WEB,
            ),
        ],
    ),
    (
        "涉农补贴",
        [
            (
                "政策文件",
                "补贴政策",
                "补贴政策文件、补贴对象、补贴标准、申报条件、申报程序（可选）",
                BASIS_REGULATIONS
                + "《农业农村部办公厅关于做好涉农补贴信息公开工作的通知》",
                "working_days",
                20,
                "",
                "nyj",
                WEB_BOARD,
            ),
            (
                "补贴资金发放",
                "发放结果",
                "补贴对象（隐去身份证号等个人信息）、补贴标准、补贴金额、发放时间",
                BASIS_REGULATIONS
                + "《农业农村部办公厅关于做好涉农补贴信息公开工作的通知》",
                "periodic",
                10,
                "quarterly",
                "nyj",
                WEB_BOARD,
            ),
            (
                "补贴资金发放",
                "耕地地力保护补贴",
                "补贴面积（按村公示）、补贴标准、发放金额",
                BASIS_REGULATIONS + "《关于全面推开农业“三项补贴”改革工作的通知》",
                "periodic",
                20,
                "yearly",
                "nyj",
                WEB_BOARD,
            ),
            (
                "监督管理",
                "监督举报",
                "监督举报电话、受理部门、办理结果（可选）",
                BASIS_REGULATIONS,
                "standing",
                None,
                "",
                "nyj",
                ["website", "notice-board", "hotline-12345"],
            ),
        ],
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    departments: tuple[tuple[str, str], ...] = ()
    groups: tuple[str, ...] = ()
    is_superuser: bool = False


DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - printed for DEBUG only

DEMO_ACCOUNTS = [
    DemoAccount(
        "clerk",
        "王信息",
        "信息员（区财政局、区农业农村局）",
        (("czj", "clerk"), ("nyj", "clerk")),
    ),
    DemoAccount(
        "clerk2",
        "李信息",
        "信息员（区住房和城乡建设局、区发展和改革局）",
        (("zjj", "clerk"), ("fgj", "clerk")),
    ),
    DemoAccount("head", "赵局长", "部门负责人（区财政局）", (("czj", "head"),)),
    DemoAccount(
        "reviewer",
        "陈审核",
        "审核员（区政务公开办公室）",
        (("gkb", "clerk"),),
        ("reviewer",),
    ),
    DemoAccount(
        "admin",
        "周主任",
        "公开办管理员、系统管理员",
        (("gkb", "clerk"),),
        ("reviewer", "office_admin"),
        is_superuser=True,
    ),
]


@transaction.atomic
def seed_catalog() -> dict[str, Department]:
    government, _ = Department.objects.update_or_create(
        code=GOVERNMENT["code"], defaults={**GOVERNMENT, "order": 0}
    )
    departments = {"gov": government}
    for order, (code, name, publisher, phone, office) in enumerate(DEPARTMENTS, 1):
        departments[code], _ = Department.objects.update_or_create(
            code=code,
            defaults={
                "parent": government,
                "kind": Department.Kind.DEPARTMENT,
                "name": name,
                "publisher_code": publisher,
                "is_disclosure_office": office,
                "address": f"示例市示例区人民大道{order + 1}号",
                "office_hours": GOVERNMENT["office_hours"],
                "phone": f"0571-8888{int(phone):04d}",
                "email": f"{code}@example.gov.cn",
                "postcode": "310000",
                "order": order,
            },
        )
    for order, (code, parent, name, room, extension) in enumerate(OFFICES, 1):
        bureau = departments[parent]
        departments[code], _ = Department.objects.update_or_create(
            code=code,
            defaults={
                "parent": bureau,
                "kind": Department.Kind.OFFICE,
                "name": name,
                "address": f"{bureau.address}{room}",
                "office_hours": bureau.office_hours,
                "phone": f"{bureau.phone}-{extension}",
                "email": f"{code}@example.gov.cn",
                "postcode": bureau.postcode,
                "order": order,
            },
        )
    channels = {channel.code: channel for channel in Channel.objects.all()}
    for area_order, (area_name, entries) in enumerate(CATALOG, 1):
        area, _ = CatalogArea.objects.update_or_create(
            name=area_name, defaults={"order": area_order}
        )
        for order, row in enumerate(entries, 1):
            level1, level2, content, basis, kind, days, period, dept, codes = row
            entry, _ = CatalogEntry.objects.update_or_create(
                area=area,
                level1=level1,
                level2=level2,
                defaults={
                    "order": order,
                    "content": content,
                    "basis": basis,
                    "time_limit_kind": kind,
                    "time_limit_days": days,
                    "period": period,
                    "counted_from": "approved" if kind == "calendar_days" else "formed",
                    "responsible_department": departments[dept],
                    "audience": CatalogEntry.Audience.PUBLIC,
                    "mode": CatalogEntry.Mode.PROACTIVE,
                    "level": "县级" if area_name != "涉农补贴" else "县级、乡级",
                },
            )
            entry.channels.set([channels[code] for code in codes])
            sync_elements(entry)
    _seed_department_budgets(departments, channels)
    return departments


def department_budget_entries(code: str) -> tuple[str, str]:
    """The 二级事项 of a department's own 部门预算 and 部门决算."""
    name = {c: n for c, n, *_rest in DEPARTMENTS}[code]
    return f"部门预算（{name}）", f"部门决算（{name}）"


def _seed_department_budgets(departments, channels) -> None:
    """Each department is the 公开主体 of its own budget and final accounts,
    within 20 days (calendar) of the finance bureau's 批复 (预算法 §14)."""
    area = CatalogArea.objects.get(name="财政预决算")
    # Seeds before 2026-12 named the finance bureau for every department.
    CatalogEntry.objects.filter(
        area=area, level1="部门预决算", level2__in=["部门预算", "部门决算"]
    ).update(is_active=False)
    contents = {
        "部门预算": "部门收支总表、收入总表、支出总表、财政拨款收支总表、“三公”经费预算、预算说明",
        "部门决算": "部门收支决算总表、“三公”经费支出决算、机关运行经费、决算说明",
    }
    order = 10
    for code in BUDGET_DEPARTMENTS:
        for kind, level2 in zip(contents, department_budget_entries(code), strict=True):
            order += 1
            entry, _ = CatalogEntry.objects.update_or_create(
                area=area,
                level1="部门预决算",
                level2=level2,
                defaults={
                    "order": order,
                    "content": contents[kind],
                    "basis": BASIS_BUDGET + "《地方预决算公开操作规程》",
                    "time_limit_kind": "calendar_days",
                    "time_limit_days": 20,
                    "period": "",
                    "counted_from": "approved",
                    "responsible_department": departments[code],
                    "audience": CatalogEntry.Audience.PUBLIC,
                    "mode": CatalogEntry.Mode.PROACTIVE,
                    "level": "县级",
                    "is_active": True,
                },
            )
            entry.channels.set([channels["website"]])
            sync_elements(entry)


@transaction.atomic
def seed_accounts(departments, *, password: str | None) -> list[DemoAccount]:
    """Create the demo accounts. ``password=None`` gives unusable passwords
    (production: set them with ``manage.py changepassword``)."""
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        family, given = account.name[0], account.name[1:]
        user, created = user_model.objects.get_or_create(
            username=account.username,
            defaults={
                "last_name": family,
                "first_name": given,
                "email": f"{account.username}@example.gov.cn",
                "is_staff": account.is_superuser,
                "is_superuser": account.is_superuser,
            },
        )
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        for code, role in account.departments:
            Membership.objects.get_or_create(
                user=user, department=departments[code], role=role
            )
        for group_name in account.groups:
            group, _ = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
    return DEMO_ACCOUNTS
