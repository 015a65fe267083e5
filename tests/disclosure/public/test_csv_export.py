"""/items.csv when the database fails: before the first row, a 503 with a
message; after it, the download is cut (never a file that looks complete);
and never a copy a cache may keep (``Cache-Control: no-store``).

On PostgreSQL the failure is real: the test's own database connection is
terminated by the server (``pg_terminate_backend``), before the request or
in the middle of the stream. On SQLite the connection is made to fail every
query (Django's ``execute_wrapper``)."""

import csv
import io

import psycopg
import pytest
from django.core.signals import request_finished
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
)

from tests.disclosure.public_fixtures import build_world, bulk_records, publish

MESSAGE = "数据库暂时无法访问，导出未能完成，请稍后再试。"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    world = build_world()
    publish(world, title="关于耕地地力保护补贴的公示")
    return world


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def test_an_export_is_never_kept_by_a_cache(client, world):
    response = client.get("/items.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    assert len(read_csv(response)) == 2


def _database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_database_that_fails_before_the_first_row_gives_503(client, world, caplog):
    with connection.execute_wrapper(_database_down):
        response = client.get("/items.csv")
    assert response.status_code == 503
    assert not response.streaming
    assert response.content.decode() == MESSAGE
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["Retry-After"] == "60"
    assert "Content-Disposition" not in response
    assert "The CSV export could not start." in caplog.text


def test_the_message_is_in_english_for_english_visitors(client, world):
    client.cookies["django_language"] = "en"
    with connection.execute_wrapper(_database_down):
        response = client.get("/items.csv")
    assert response.status_code == 503
    assert "database" in response.content.decode().lower()


# --- PostgreSQL: the server ends the connection ---------------------------------------


def terminate_this_connection() -> None:
    """End this process's database connection from another one, as a
    database restart or a failover does."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"] or "postgres",
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def committed_world():
    """Needs ``django_db(transaction=True)`` on the test: committed rows, and
    the reference data put back after the flush (tests/conftest.py)."""
    world = build_world()
    publish(world, title="关于耕地地力保护补贴的公示")
    yield world
    connection.close()  # the terminated connection: the next one is new


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_gone_before_the_first_row_gives_503(client, committed_world):
    terminate_this_connection()
    response = client.get("/items.csv")
    assert response.status_code == 503
    assert response.content.decode() == MESSAGE
    assert response["Cache-Control"] == "no-store"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_gone_in_the_middle_cuts_the_download(
    streaming_client, committed_world, caplog
):
    bulk_records(committed_world, 1200)
    response = streaming_client.get("/items.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    chunks = iter(response.streaming_content)
    received = [next(chunks) for _ in range(10)]  # BOM, header, 8 rows
    terminate_this_connection()
    with pytest.raises((OperationalError, InterfaceError, DatabaseError)):
        received.extend(chunks)
    assert 10 <= len(received) < 1201
    assert "The CSV export failed after" in caplog.text


def open_cursors() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors WHERE name LIKE '_django%%'")
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_an_abandoned_export_closes_its_cursor_with_the_response(
    streaming_client, world
):
    """A client that goes away: the server closes the response, which closes
    the export's server-side cursor at once."""
    bulk_records(world, 600)
    response = streaming_client.get("/items.csv")
    assert response.status_code == 200
    assert open_cursors() == 1  # the first rows were read
    # As the server does; the test's connection stays open (as Django's
    # test client does around a response's close).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert open_cursors() == 0
