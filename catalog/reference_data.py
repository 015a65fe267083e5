"""Reference lists seeded into a new database (migration 0002) and kept
editable by staff afterwards."""

# 主题分类: the State Council's 22 top-level topics, with the children in use on
# government sites. Local governments adapt the list in the admin.
TOPICS: list[tuple[str, list[str]]] = [
    (
        "国务院组织机构",
        [
            "国务院办公厅",
            "国务院组成部门",
            "国务院直属机构",
            "国务院办事机构",
            "国务院直属事业单位",
            "部委管理的国家局",
            "其他",
        ],
    ),
    (
        "综合政务",
        [
            "政务公开",
            "政务督查",
            "应急管理",
            "电子政务",
            "文秘工作",
            "保密工作",
            "信访",
            "参事文史",
            "其他",
        ],
    ),
    (
        "国民经济管理、国有资产监管",
        [
            "发展规划",
            "宏观经济",
            "经济体制改革",
            "价格",
            "物资储备",
            "统计",
            "国有资产监管",
            "其他",
        ],
    ),
    ("财政、金融、审计", ["财政", "税务", "金融", "审计", "其他"]),
    (
        "国土资源、能源",
        ["土地", "矿产", "测绘", "地质", "海洋", "能源", "节能与资源综合利用", "其他"],
    ),
    ("农业、林业、水利", ["农业", "畜牧业", "渔业", "林业", "水利", "其他"]),
    (
        "工业、交通",
        ["工业", "信息产业（含电信）", "邮政", "铁路", "公路", "水运", "民航", "其他"],
    ),
    (
        "商贸、海关、旅游",
        ["国内贸易（含供销）", "对外经贸合作", "海关", "旅游", "其他"],
    ),
    (
        "市场监管、安全生产监管",
        ["市场监管", "质量监督", "食品药品监管", "安全生产监管", "其他"],
    ),
    (
        "城乡建设、环境保护",
        ["城乡建设（含住房）", "城市规划", "环境监测、保护与治理", "其他"],
    ),
    ("科技、教育", ["科技", "教育", "知识产权", "其他"]),
    ("文化、广电、新闻出版", ["文化", "广播电视", "新闻出版", "文物", "其他"]),
    ("卫生、体育", ["卫生", "体育", "其他"]),
    ("人口与计划生育、妇女儿童工作", ["人口与计划生育", "妇女儿童", "其他"]),
    ("劳动、人事、监察", ["劳动就业", "社会保障", "人事工作", "监察", "其他"]),
    ("公安、安全、司法", ["公安", "国家安全", "司法", "其他"]),
    ("民政、扶贫、救灾", ["民政", "扶贫", "救灾", "其他"]),
    ("民族、宗教", ["民族事务", "宗教事务", "其他"]),
    ("对外事务", ["外事", "其他"]),
    ("港澳台侨工作", ["港澳工作", "台湾工作", "侨务工作", "其他"]),
    ("国防", ["国防动员", "其他"]),
    ("其他", []),
]

# 体裁: the 15 kinds of official document (《党政机关公文处理工作条例》, GB/T 9704).
DOCUMENT_TYPES: list[tuple[str, str]] = [
    ("resolution", "决议"),
    ("decision", "决定"),
    ("order", "命令（令）"),
    ("communique", "公报"),
    ("announcement", "公告"),
    ("public-notice", "通告"),
    ("opinion", "意见"),
    ("notice", "通知"),
    ("circular", "通报"),
    ("report", "报告"),
    ("request", "请示"),
    ("reply", "批复"),
    ("motion", "议案"),
    ("letter", "函"),
    ("minutes", "纪要"),
]

# 公开渠道和载体: the standard list of the grass-roots catalogues.
CHANNELS: list[tuple[str, str]] = [
    ("website", "政府网站"),
    ("gazette", "政府公报"),
    ("weibo-wechat-app", "两微一端"),
    ("press-hearing", "发布会/听证会"),
    ("broadcast", "广播电视"),
    ("print", "纸质媒体"),
    ("reading-room", "公开查阅点"),
    ("service-center", "政务服务中心"),
    ("service-station", "便民服务站"),
    ("door-to-door", "入户/现场"),
    ("notice-board", "社区/村公示栏（电子屏）"),
    ("targeted-push", "精准推送"),
    ("hotline-12345", "12345热线"),
    ("other", "其他"),
]

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
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
