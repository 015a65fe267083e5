"""Helpers of the annual report tests: what a browser submits from the
report's form, starting a report, and taking it through review."""

import datetime
from html.parser import HTMLParser

from django.utils import timezone

TABLE3_LABELS = [
    "一、本年新收申请数量",
    "二、上年结转申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    '3.危及"三安全一稳定"',
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]


class _Form(HTMLParser):
    """What a browser would submit from the report form."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self.invalid = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("number", "hidden"):
            if attrs.get("name") and attrs["name"] != "csrfmiddlewaretoken":
                self.data[attrs["name"]] = attrs.get("value", "")
            if attrs.get("aria-invalid") == "true":
                self.invalid.append(attrs["name"])
        elif tag == "textarea" and attrs.get("name") != "comment":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_of(response) -> _Form:
    parser = _Form()
    parser.feed(response.content.decode())
    parser.data = {k: v.lstrip("\n") for k, v in parser.data.items()}
    # the organ and year of the "create" forms are not the report's fields
    parser.data.pop("organ", None)
    parser.data.pop("year", None)
    return parser


def text(response) -> str:
    return response.content.decode()


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def url(year, organ) -> str:
    return f"/workspace/oversight/annual/{year}/{organ}/"


def start(client, organ, year=2025):
    """Create the organ's report as the logged-in user; the editor page."""
    response = client.post(
        "/workspace/oversight/annual/", {"organ": organ, "year": year}
    )
    assert response.status_code == 302
    assert response["Location"] == url(year, organ)
    return client.get(response["Location"])


def consistent(data):
    """Figures that satisfy every rule of the format."""
    data.update(
        {
            "t3__new__natural": "5",
            "t3__new__business": "1",
            "t3__new__total": "6",
            "t3__carried_in__natural": "1",
            "t3__carried_in__total": "1",
            "t3__granted__natural": "3",
            "t3__granted__business": "1",
            "t3__granted__total": "4",
            "t3__refused_third_party__natural": "1",
            "t3__refused_third_party__total": "1",
            "t3__total__natural": "4",
            "t3__total__business": "1",
            "t3__total__total": "5",
            "t3__carried_out__natural": "2",
            "t3__carried_out__total": "2",
            "t4__review__upheld": "1",
            "t4__review__total": "1",
            "t2__licensing__decisions": "120",
            "t2__fees__amount": "12.5",
            "fees_charged": "300",
            # The figures differ from the (empty) register of requests: the
            # office says why (reports.save refuses them otherwise).
            "override_reason": "登记上线前的纸质申请补录。",
            "overview": "本年度，区政府认真贯彻《中华人民共和国政府信息公开条例》。",
            "problems": "一是部分信息公开不及时。",
        }
    )
    return data


def submit_consistent(client, organ, year=2025, **changes):
    """Fill in consistent figures and submit (as the logged-in user)."""
    data = consistent(form_of(client.get(url(year, organ))).data)
    data.update(changes)
    data["action"] = "submit"
    response = client.post(url(year, organ), data)
    assert response.status_code == 302, text(response)
    return response


def publish(client, organ, year=2025):
    response = client.post(url(year, organ), {"action": "publish"})
    assert response.status_code == 302
    return response
