"""Reference lists seeded into a new database (migration 0002) and kept
editable by staff afterwards.

The names of the standard lists are marked for translation (``N_``: the
Chinese stays what is stored); the models' ``label`` translates them on English
pages."""

from django.utils.translation import gettext_noop as N_


def NC_(context: str, name: str) -> str:  # noqa: N802 - as N_
    """A name translated in ``context`` (``DocumentType.label``: 意见 is an
    Opinion here, a Comment elsewhere); the Chinese name stays what is stored.
    makemessages does not know this marker: these entries of the .po file
    (msgctxt "体裁") are kept by hand."""
    return name


# 主题分类: the State Council's 22 top-level topics, with the children in use on
# government sites. Local governments adapt the list in the admin.
TOPICS: list[tuple[str, list[str]]] = [
    (
        N_("国务院组织机构"),
        [
            N_("国务院办公厅"),
            N_("国务院组成部门"),
            N_("国务院直属机构"),
            N_("国务院办事机构"),
            N_("国务院直属事业单位"),
            N_("部委管理的国家局"),
            N_("其他"),
        ],
    ),
    (
        N_("综合政务"),
        [
            N_("政务公开"),
            N_("政务督查"),
            N_("应急管理"),
            N_("电子政务"),
            N_("文秘工作"),
            N_("保密工作"),
            N_("信访"),
            N_("参事文史"),
            N_("其他"),
        ],
    ),
    (
        N_("国民经济管理、国有资产监管"),
        [
            N_("发展规划"),
            N_("宏观经济"),
            N_("经济体制改革"),
            N_("价格"),
            N_("物资储备"),
            N_("统计"),
            N_("国有资产监管"),
            N_("其他"),
        ],
    ),
    (
        N_("财政、金融、审计"),
        [N_("财政"), N_("税务"), N_("金融"), N_("审计"), N_("其他")],
    ),
    (
        N_("国土资源、能源"),
        [
            N_("土地"),
            N_("矿产"),
            N_("测绘"),
            N_("地质"),
            N_("海洋"),
            N_("能源"),
            N_("节能与资源综合利用"),
            N_("其他"),
        ],
    ),
    (
        N_("农业、林业、水利"),
        [N_("农业"), N_("畜牧业"), N_("渔业"), N_("林业"), N_("水利"), N_("其他")],
    ),
    (
        N_("工业、交通"),
        [
            N_("工业"),
            N_("信息产业（含电信）"),
            N_("邮政"),
            N_("铁路"),
            N_("公路"),
            N_("水运"),
            N_("民航"),
            N_("其他"),
        ],
    ),
    (
        N_("商贸、海关、旅游"),
        [
            N_("国内贸易（含供销）"),
            N_("对外经贸合作"),
            N_("海关"),
            N_("旅游"),
            N_("其他"),
        ],
    ),
    (
        N_("市场监管、安全生产监管"),
        [
            N_("市场监管"),
            N_("质量监督"),
            N_("食品药品监管"),
            N_("安全生产监管"),
            N_("其他"),
        ],
    ),
    (
        N_("城乡建设、环境保护"),
        [
            N_("城乡建设（含住房）"),
            N_("城市规划"),
            N_("环境监测、保护与治理"),
            N_("其他"),
        ],
    ),
    (N_("科技、教育"), [N_("科技"), N_("教育"), N_("知识产权"), N_("其他")]),
    (
        N_("文化、广电、新闻出版"),
        [N_("文化"), N_("广播电视"), N_("新闻出版"), N_("文物"), N_("其他")],
    ),
    (N_("卫生、体育"), [N_("卫生"), N_("体育"), N_("其他")]),
    (
        N_("人口与计划生育、妇女儿童工作"),
        [N_("人口与计划生育"), N_("妇女儿童"), N_("其他")],
    ),
    (
        N_("劳动、人事、监察"),
        [N_("劳动就业"), N_("社会保障"), N_("人事工作"), N_("监察"), N_("其他")],
    ),
    (N_("公安、安全、司法"), [N_("公安"), N_("国家安全"), N_("司法"), N_("其他")]),
    (N_("民政、扶贫、救灾"), [N_("民政"), N_("扶贫"), N_("救灾"), N_("其他")]),
    (N_("民族、宗教"), [N_("民族事务"), N_("宗教事务"), N_("其他")]),
    (N_("对外事务"), [N_("外事"), N_("其他")]),
    (N_("港澳台侨工作"), [N_("港澳工作"), N_("台湾工作"), N_("侨务工作"), N_("其他")]),
    (N_("国防"), [N_("国防动员"), N_("其他")]),
    (N_("其他"), []),
]

# 体裁: the 15 kinds of official document (《党政机关公文处理工作条例》, GB/T 9704).
DOCUMENT_TYPES: list[tuple[str, str]] = [
    ("resolution", NC_("体裁", "决议")),
    ("decision", NC_("体裁", "决定")),
    ("order", NC_("体裁", "命令（令）")),
    ("communique", NC_("体裁", "公报")),
    ("announcement", NC_("体裁", "公告")),
    ("public-notice", NC_("体裁", "通告")),
    ("opinion", NC_("体裁", "意见")),
    ("notice", NC_("体裁", "通知")),
    ("circular", NC_("体裁", "通报")),
    ("report", NC_("体裁", "报告")),
    ("request", NC_("体裁", "请示")),
    ("reply", NC_("体裁", "批复")),
    ("motion", NC_("体裁", "议案")),
    ("letter", NC_("体裁", "函")),
    ("minutes", NC_("体裁", "纪要")),
]

# 公开渠道和载体: the standard list of the grass-roots catalogues.
CHANNELS: list[tuple[str, str]] = [
    ("website", N_("政府网站")),
    ("gazette", N_("政府公报")),
    ("weibo-wechat-app", N_("两微一端")),
    ("press-hearing", N_("发布会/听证会")),
    ("broadcast", N_("广播电视")),
    ("print", N_("纸质媒体")),
    ("reading-room", N_("公开查阅点")),
    ("service-center", N_("政务服务中心")),
    ("service-station", N_("便民服务站")),
    ("door-to-door", N_("入户/现场")),
    ("notice-board", N_("社区/村公示栏（电子屏）")),
    ("targeted-push", N_("精准推送")),
    ("hotline-12345", N_("12345热线")),
    ("other", N_("其他")),
]

HOLIDAY_NAMES_ZH = {
    "New Year's Day": N_("元旦"),
    "Spring Festival": N_("春节"),
    "Tomb-sweeping Day": N_("清明节"),
    "Labour Day": N_("劳动节"),
    "Dragon Boat Festival": N_("端午节"),
    "National Day": N_("国庆节"),
    "Mid-autumn Festival": N_("中秋节"),
    "Anti-Fascist 70th Day": N_("中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
}


def official_calendar() -> tuple[list[tuple], list[int]]:
    """The schedule the ``chinese-calendar`` package knows: ``(date, kind,
    name)`` rows for holidays on weekdays and weekend working days, and the
    years it covers in full."""
    from chinese_calendar.constants import holidays, workdays

    rows = []
    for day, name in holidays.items():
        if day.weekday() < 5:
            label = getattr(name, "value", name)
            rows.append((day, "holiday", HOLIDAY_NAMES_ZH.get(label, label)))
    for day, name in workdays.items():
        if day.weekday() >= 5:
            label = getattr(name, "value", name)
            rows.append((day, "workday", HOLIDAY_NAMES_ZH.get(label, label)))
    years = sorted({day.year for day in holidays})
    return sorted(rows), years
