"""A worker answers the public pages once before taking traffic
(portal/warmup.py), and leaves no database connection behind."""

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection

from portal.warmup import PATHS, warm_up
from tests.disclosure.public_fixtures import build_world, publish

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_warm_up_answers_the_first_pages_and_closes_its_connections():
    world = build_world()
    publish(world, title="预热时就能看到的信息")
    statuses = warm_up(get_wsgi_application())
    assert statuses == dict.fromkeys(PATHS, 200)
    # Closed (an in-memory SQLite test database is never closed by Django:
    # it would vanish; the PostgreSQL run of the suite checks this).
    if connection.vendor != "sqlite":
        assert connection.connection is None


def test_a_page_that_fails_does_not_stop_the_worker():
    statuses = warm_up(get_wsgi_application(), paths=("/items/", "/no-such-page/"))
    assert statuses == {"/items/": 200, "/no-such-page/": 404}
