"""Hostile input.

1. Property-based (hypothesis): every GET page, found from the URL
   configuration, asked with random and hostile query strings and path
   segments (unicode, NUL bytes, very long, SQL and HTML fragments,
   full-width characters), answers 200, 301/302, 304, 400, 404 or 410: never
   a server error. Anonymous visitors for the public pages; an office staff
   member for the workspace.
2. Script payloads in every field a clerk fills (title, body, keywords,
   document number, change note, return comment) and in search terms, built
   through ``disclosure.workflow``: escaped or stripped on every channel that
   shows them (public pages, workspace, feeds, JSON, CSV with formula
   injection neutralised).
"""

import csv
import io
import json
import os
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure import workflow
from disclosure.models import Attachment, Item, PublicRecord
from tests import factories
from tests.clients import ReadingClient
from tests.disclosure.public_fixtures import build_world, publish

pytestmark = pytest.mark.django_db

# Per URL, on top of the fixed sweep of every hostile value (the workspace
# pages get half: they are slower to render and seen by staff only).
# PORTAL_FUZZ_EXAMPLES=500 for a long hunt.
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "20"))

HYPOTHESIS = settings(
    deadline=None,
    database=None,  # leave no .hypothesis/ folder in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what to send ----------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "%",
    "%zz",
    "%E4%B8",  # a cut UTF-8 sequence
    "' OR '1'='1",
    "1; DROP TABLE disclosure_item; --",
    "1 UNION SELECT password FROM auth_user",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "${jndi:ldap://127.0.0.1/a}",
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "\r\nSet-Cookie: a=b",
    "\u202etxt.exe",
    "\ufeff",
    "𠀀𪚥",  # outside the basic plane
    "😀" * 50,
    "１２３",  # full-width digits
    "ＳＥＬＥＣＴ　＊",  # full-width letters and space
    "〔２０２６〕",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "true",
    "[]",
    "{}",
    "a" * 5000,
    "补" * 2000,
]

PARAM_NAMES = [
    "q",
    "page",
    "page_size",
    "department",
    "topic",
    "entry",
    "type",
    "validity",
    "year",
    "from",
    "to",
    "since",
    "sort",
    "order",
    "format",
    "next",
    "size",
    "start",
    "end",
    "days",
    "kind",
    "formed_on",
    "catalog_entry",
    "state",
    "formed_from",
    "formed_to",
    "metric",
    "as_of",
    "download",
    "period",
    "o",
    "e",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(
        alphabet=st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        max_size=20,
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
)
query_pairs = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAM_NAMES), hostile_text), hostile_text),
    max_size=5,
)
raw_query = st.one_of(
    query_pairs.map(urlencode),
    st.sampled_from(["%", "%%", "&&==&", "q=%zz", "q=%00", "=", "a&b&c", "q=a+b%2"]),
)


def quote_segment(text: str) -> str:
    return quote(text, safe="") or "%20"


# --- the URLs, from the URL configuration ----------------------------------------------


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


SKIP_PREFIXES = ("admin/",)
# Forms that only take POST (set_language answers 204 or a redirect to GET).
POST_ONLY = {"accounts/logout/", "i18n/setlang/"}


def url_patterns():
    found = []
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or route in POST_ONLY:
            continue
        found.append((route, pattern))
    return found


def route_ids(routes):
    return [route for route, _pattern in routes]


PUBLIC = [
    (route, pattern)
    for route, pattern in url_patterns()
    if not route.startswith(("workspace/",))
]
WORKSPACE = [
    (route, pattern)
    for route, pattern in url_patterns()
    if route.startswith("workspace/")
]

CONVERTER_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


class Samples:
    """Valid values for the URL parameters, from the test data."""

    def __init__(self, world, record, attachment):
        self.values = {
            "pk": str(record.pk),
            "token": attachment.token if attachment else "token",
            "year": "2026",
            "section": "items",
            "scope": "department",
            "key": world.department.code,
            "uidb64": "MQ",
        }

    def value(self, name):
        return self.values.get(name, "1")


def concrete(route: str, samples: Samples, hostile: dict[str, str]) -> str:
    """The route with its parameters filled: valid values, except those in
    ``hostile`` (percent-encoded)."""

    def fill(name):
        if name in hostile:
            return quote_segment(hostile[name])
        return samples.value(name)

    if route.startswith("^"):
        path = REGEX_GROUP.sub(lambda match: fill(match["name"]), route)
        path = path.lstrip("^").rstrip("$").replace("\\.", ".")
    else:
        path = CONVERTER_PARAM.sub(lambda match: fill(match["name"]), route)
    return "/" + path


def parameter_names(route: str) -> list[str]:
    if route.startswith("^"):
        return [match["name"] for match in REGEX_GROUP.finditer(route)]
    return [match["name"] for match in CONVERTER_PARAM.finditer(route)]


def test_the_url_configuration_gives_the_pages_the_issue_names():
    routes = set(route_ids(PUBLIC))
    for route in (
        "",
        "items/",
        "items/<id:pk>/",
        "catalog/",
        "catalog/<id:pk>/",
        "guide/",
        "tools/deadline/",
        "api/v1/deadline",
        "api/v1/items",
        "items.csv",
        "feeds/items.rss",
        "feeds/items.atom",
        "sitemap.xml",
        "robots.txt",
        "reports/annual/",
    ):
        assert route in routes, route


# --- the data ----------------------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    record = publish(world, attachment="附件.pdf")
    publish(world, title="关于农业补贴资金发放的公示")
    attachment = Attachment.objects.filter(item_id=record.item_id).first()
    return world, Samples(world, record, attachment)


PUBLIC_OK = {200, 301, 302, 304, 400, 404, 410}
WORKSPACE_OK = PUBLIC_OK | {403, 405}


def check(client, url, allowed, query=""):
    full = f"{url}?{query}" if query else url
    response = client.get(full)
    assert response.status_code in allowed, (full, response.status_code)
    assert response.status_code < 500
    if response.get("Content-Type", "").startswith("text/html") and not getattr(
        response, "streaming", False
    ):
        assert b"Traceback" not in response.content
    return response


def sweep(client, route, samples, allowed):
    """Every hostile value, in every path parameter and every known query
    parameter: the cases found once stay tested every run."""
    names = parameter_names(route)
    for value in HOSTILE:
        if names:
            check(
                client, concrete(route, samples, dict.fromkeys(names, value)), allowed
            )
        query = urlencode([(name, value) for name in PARAM_NAMES])
        check(client, concrete(route, samples, {}), allowed, query)


def fuzz(client, route, samples, allowed, examples):
    if check(client, concrete(route, samples, {}), allowed).status_code == 405:
        return  # takes POST only: the method is refused before anything else
    sweep(client, route, samples, allowed)
    names = parameter_names(route)

    @settings(HYPOTHESIS, max_examples=examples)
    @given(
        query=raw_query,
        hostile=st.dictionaries(
            st.sampled_from(names or ["-"]), hostile_text, max_size=len(names)
        ),
        extra_segment=st.one_of(st.none(), hostile_text),
    )
    def run(query, hostile, extra_segment):
        url = concrete(route, samples, {k: v for k, v in hostile.items() if k != "-"})
        check(client, url, allowed, query)
        if extra_segment is not None:
            base = url if url.endswith("/") else url + "/"
            check(client, base + quote_segment(extra_segment) + "/", allowed)

    run()


@pytest.mark.parametrize(("route", "pattern"), PUBLIC, ids=route_ids(PUBLIC))
def test_public_pages_survive_hostile_input(world, route, pattern):
    _world, samples = world
    fuzz(
        ReadingClient(raise_request_exception=False),
        route,
        samples,
        PUBLIC_OK,
        EXAMPLES,
    )


@pytest.mark.parametrize(("route", "pattern"), WORKSPACE, ids=route_ids(WORKSPACE))
def test_workspace_pages_survive_hostile_input(world, route, pattern):
    world_, samples = world
    staff = factories.office_admin()
    staff.groups.add(*factories.reviewer().groups.all())
    factories.Membership.objects.create(user=staff, department=world_.department)
    client = ReadingClient(raise_request_exception=False)
    client.force_login(staff)
    samples.values["pk"] = str(Item.objects.order_by("pk").first().pk)
    fuzz(client, route, samples, WORKSPACE_OK, EXAMPLES // 2)


# --- script payloads through the workflow --------------------------------------------------

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
SVG = "<svg onload=alert(1)>"
QUOTE_BREAK = '"><b>x</b>'
PAYLOAD = f"补贴{SCRIPT}{IMG}{SVG}{QUOTE_BREAK}"
FORMULA = '=HYPERLINK("http://evil.example/","点击")'


class ActiveMarkup(HTMLParser):
    """What a browser would run or render from the payloads: script
    elements not from the site's static files, event handler attributes,
    ``javascript:`` links, SVG, the injected image and bold text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_b = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append("<script>")
        if tag == "svg":
            self.found.append("<svg>")
        if tag == "img" and attributes.get("src") == "x":
            self.found.append("<img src=x>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}=")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{name}=javascript:")
        self._in_b = tag == "b"

    def handle_data(self, data):
        if self._in_b and data == "x":
            self.found.append("<b>x</b>")
        self._in_b = False


def assert_escaped(content: str, where: str):
    parser = ActiveMarkup()
    parser.feed(content)
    parser.close()
    assert not parser.found, f"{parser.found} unescaped in {where}"


def assert_no_raw(content: str, where: str):
    """For XML and JSON: no raw markup at all."""
    lowered = content.lower()
    for raw in ("<script", "<svg", "<img", "<b>"):
        assert raw not in lowered, f"{raw!r} raw in {where}"


@pytest.fixture
def payload_world(settings, tmp_path):
    """One item published with payloads in its title, keywords, document
    number and body, then changed with a payload change note; a second item
    returned with a payload comment."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    item = factories.draft_item(
        world.clerk,
        world.department,
        title=PAYLOAD,
        # The workspace form checks the number against GB/T 9704 (see
        # test_the_editor_refuses_a_script_in_the_document_number); the
        # workflow takes what it is given, as an import might.
        doc_number=f"示农发{SCRIPT}",
        keywords=f"{FORMULA} {SCRIPT}",
        body=f'<p>正文{SCRIPT}</p>{IMG}{SVG}<a href="javascript:alert(1)">链接</a>',
    )
    workflow.submit(item=item, by=world.clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=world.reviewer)
    item.refresh_from_db()
    item = workflow.update_item(
        item=item,
        by=world.clerk,
        data={"change_note": f"更正{SCRIPT}{IMG}", "keywords": f"{FORMULA} 补贴"},
        expected_version=item.version,
    )
    workflow.submit(item=item, by=world.clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    item = workflow.publish(item=item, by=world.reviewer)

    returned = factories.draft_item(world.clerk, world.department, title=FORMULA)
    workflow.submit(item=returned, by=world.clerk)
    returned = workflow.return_item(
        item=returned, by=world.reviewer, comment=f"{FORMULA}{SCRIPT}{IMG}"
    )
    assert PublicRecord.objects.get(item_id=item.pk).doc_number == f"示农发{SCRIPT}"
    return world, item, returned


def test_the_editor_refuses_a_script_in_the_document_number(client, payload_world):
    world, _item, _returned = payload_world
    client.force_login(world.clerk)
    response = client.post(
        "/workspace/items/new/",
        {"title": "标题", "department": world.department.pk, "doc_number": SCRIPT},
    )
    assert response.status_code in (200, 400)
    assert 'id="id_doc_number_error"' in response.content.decode()
    assert not Item.objects.filter(doc_number=SCRIPT).exists()
    assert_escaped(response.content.decode(), "the editor")


def test_the_stored_body_is_sanitised(payload_world):
    _world, item, _returned = payload_world
    assert_escaped(item.body, "the stored body")
    assert_no_raw(item.body, "the stored body")
    assert "javascript:" not in item.body
    assert "正文" in item.body


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/items/",
        "/items/{pk}/",
        "/items/?q=补贴",
        "/items/?q=" + quote(PAYLOAD),
        "/items/?q=" + quote(SCRIPT),
        "/sitemap-items.xml",
    ],
)
def test_payloads_are_escaped_on_public_pages(client, payload_world, url):
    _world, item, _returned = payload_world
    response = client.get(url.format(pk=item.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert_escaped(content, url)
    if url.startswith("/items/") and "q=" not in url:
        assert "&lt;script&gt;" in content  # shown, as text


def test_payloads_are_escaped_in_the_workspace(client, payload_world):
    world, item, returned = payload_world
    client.force_login(world.clerk)
    for url in (
        "/workspace/",
        "/workspace/items/",
        f"/workspace/items/{item.pk}/",
        f"/workspace/items/{returned.pk}/",
        f"/workspace/items/{returned.pk}/edit/",
        "/workspace/items/?q=" + quote(PAYLOAD),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url)
    client.force_login(world.reviewer)
    for url in (
        "/workspace/review/",
        f"/workspace/items/{item.pk}/",
        f"/workspace/items/{item.pk}/review/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_escaped(response.content.decode(), url)


@pytest.mark.parametrize("url", ["/feeds/items.rss", "/feeds/items.atom"])
def test_payloads_in_feeds_are_text_and_clean_html(client, payload_world, url):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert_no_raw(content, url)  # XML text: nothing raw
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    html_fields = [
        element.text or ""
        for element in root.iter()
        if element.tag.split("}")[-1] in {"description", "summary", "content"}
    ]
    assert html_fields
    for html_text in html_fields:
        # Feed readers show these as HTML: after XML unescaping, the HTML
        # must carry no script, only escaped text.
        assert_escaped(html_text, f"{url} description")


def test_payloads_in_json_are_data(client, payload_world):
    _world, item, _returned = payload_world
    for url in ("/api/v1/items", f"/api/v1/items/{item.pk}", "/api/v1/items?q=补贴"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json")
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        data = json.loads(response.content)
        assert PAYLOAD in list(_strings(data))  # the title, as data
        for value in _strings(data):
            if "正文" in value:  # the body, HTML: sanitised
                assert_escaped(value, f"{url} body")


def _strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


def _formula_cells(rows):
    return [cell for row in rows for cell in row if cell.startswith(("=", "+", "@"))]


def test_payloads_in_the_public_csv_are_neutralised(client, payload_world):
    response = client.get("/items.csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert not _formula_cells(rows)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_payloads_in_the_audit_csv_are_neutralised(client, payload_world):
    world, _item, _returned = payload_world
    client.force_login(world.admin)
    response = client.get("/workspace/audit.csv?start=2000-01-01&end=2100-12-31")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert not _formula_cells(rows)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_search_terms_are_escaped(client, payload_world):
    for term in (SCRIPT, IMG, SVG, QUOTE_BREAK, "补贴" + SCRIPT):
        response = client.get("/items/", {"q": term})
        assert response.status_code == 200
        assert_escaped(response.content.decode(), f"search for {term!r}")
        response = client.get("/feeds/items.rss", {"q": term})
        assert response.status_code == 200
        assert_no_raw(response.content.decode(), f"feed search for {term!r}")
