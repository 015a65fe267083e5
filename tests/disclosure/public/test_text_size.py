"""大字版 (适老化, issue 15): the switch is in the header of every page,
public and staff, and the larger text holds wherever the visitor goes."""

import re

import pytest

from tests.disclosure.public_fixtures import build_world, publish

pytestmark = pytest.mark.django_db


def _pages(world):
    record = publish(world)
    return [
        "/",
        "/items/",
        f"/items/{record.pk}/",
        "/catalog/",
        f"/catalog/{world.entry.pk}/",
        "/guide/",
        "/tools/deadline/",
        "/reports/annual/",
        "/accounts/login/",
    ]


def _body_class(html: str) -> str:
    return re.search(r'<body class="([^"]*)"', html).group(1)


def test_the_switch_is_on_every_page_and_the_choice_holds(client):
    world = build_world()
    pages = _pages(world)
    for path in pages:
        html = client.get(path).content.decode()
        assert "large-text" not in _body_class(html), path
        assert 'class="text-size-switch no-print"' in html, path
        assert ">大字版</a>" in html, path
    response = client.get("/display/text-size/", {"size": "large", "next": "/catalog/"})
    assert response["Location"] == "/catalog/"
    for path in pages:
        html = client.get(path).content.decode()
        assert "large-text" in _body_class(html).split(), path
        assert ">标准字号</a>" in html, path
        # The switch comes back to the page it was used on.
        assert f'next={path}" rel="nofollow"' in html, path


def test_staff_pages_hold_the_larger_text_too(client):
    world = build_world()
    client.force_login(world.clerk)
    client.get("/display/text-size/", {"size": "large", "next": "/workspace/"})
    for path in ("/workspace/", "/workspace/items/", "/workspace/items/new/"):
        html = client.get(path).content.decode()
        assert _body_class(html).split() == ["workspace", "large-text"], path
        assert ">标准字号</a>" in html, path
    client.get("/display/text-size/", {"size": "normal", "next": "/workspace/"})
    html = client.get("/workspace/").content.decode()
    assert _body_class(html) == "workspace"
    assert ">大字版</a>" in html
