"""Request bodies are bounded before anything reads them: an anonymous POST
of 1 GiB is refused at once with a 413 page in the visitor's language, and
nothing is read or spooled to disk. Signed-in staff get a larger limit on
the attachment upload only."""

import re
import tempfile

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

GIB = 1024**3


class UnreadableBody:
    """A request body that must never be read."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readline = read

    def __iter__(self):
        raise AssertionError("the body was read")


def post_declaring(client, path, length, **extra):
    """A POST whose Content-Length says ``length`` bytes, with a body that
    fails the test if anything reads it (a multipart form with a file, as
    the attack sent)."""
    return client.generic(
        "POST",
        path,
        data=b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
        **extra,
    )


@pytest.fixture
def no_spooling(monkeypatch):
    """Fail if any upload would be spooled to a temporary file."""

    def refuse(*args, **kwargs):
        raise AssertionError("a request body was spooled to disk")

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/i18n/setlang/", "/items/", "/admin/login/", "/"]
)
def test_an_anonymous_gigabyte_post_is_refused_unread(client, path, no_spooling):
    client.cookies["csrftoken"] = "a" * 32  # a self-made CSRF cookie, as in the attack
    response = post_declaring(client, path, GIB)
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page
    assert "（3.0\xa0MB）" in page
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response.headers


def test_the_413_page_speaks_the_visitors_language(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_declaring(client, "/accounts/login/", GIB)
    assert response.status_code == 413
    assert "too large" in response.content.decode().lower()


def test_a_body_without_a_length_is_refused(client):
    response = client.generic(
        "POST",
        "/accounts/login/",
        data=b"",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 411
    assert "请求缺少长度" in response.content.decode()


def test_a_malformed_length_is_a_bad_request(client):
    response = client.generic(
        "POST",
        "/accounts/login/",
        data=b"x",
        CONTENT_LENGTH="-5",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 400


def test_ordinary_posts_pass(client):
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def upload_url(item_pk=1):
    return reverse("workspace:upload", args=[item_pk])


def test_the_upload_url_is_the_one_the_limit_knows():
    """The larger limit is matched on the path (PORTAL_UPLOAD_PATHS): if the
    workspace's upload URL moves, this fails."""
    patterns = [re.compile(pattern) for pattern in django_settings.PORTAL_UPLOAD_PATHS]
    assert any(pattern.match(upload_url(123)) for pattern in patterns)
    assert any(
        pattern.match(reverse("admin:catalog_catalogentry_import"))
        for pattern in patterns
    )
    assert not any(pattern.match("/workspace/items/123/edit/") for pattern in patterns)


def test_staff_upload_more_on_the_upload_url_only(client, settings, no_spooling):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.draft_item(clerk, department)
    client.force_login(clerk)
    # 50 MB on the upload URL: past the body check (the view then reads it).
    limit = settings.PORTAL_MAX_UPLOAD_REQUEST_BYTES
    big = 50 * 1024 * 1024
    assert settings.PORTAL_MAX_REQUEST_BYTES < big <= limit
    edit = reverse("workspace:item-edit", args=[item.pk])
    assert post_declaring(client, edit, big).status_code == 413
    assert post_declaring(client, upload_url(item.pk), limit + 1).status_code == 413
    # Anonymous on the upload URL: the general limit.
    anonymous = type(client)()
    assert post_declaring(anonymous, upload_url(item.pk), big).status_code == 413


def test_staff_upload_within_the_limit(client, settings):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.draft_item(clerk, department)
    client.force_login(clerk)
    settings.PORTAL_MAX_REQUEST_BYTES = 1024  # a small general limit ...
    response = client.post(
        upload_url(item.pk), {"files": factories.pdf_upload("通知.pdf", "x" * 4000)}
    )
    assert response.status_code == 302  # ... the upload is not bound by it
    assert item.attachments.filter(original_name="通知.pdf").exists()
