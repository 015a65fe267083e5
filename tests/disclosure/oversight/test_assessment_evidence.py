"""The evidence of a manual indicator's points (disclosure/oversight/schemes.py,
``score_manual``) when the office replaces it: the old file leaves storage
once the change is committed, the new one is what the office and the organ
download; a replacement that is refused or fails keeps the old file; a file
that cannot be deleted is logged, never an error page."""

import logging
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.oversight import schemes
from disclosure.oversight.assessment_models import AssessmentAuditEntry, ManualScore
from disclosure.uploads import check_upload
from tests import factories
from tests.disclosure.oversight.test_assessment_scheme import (
    _manual_scheme,
    _score,
    assessment_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return assessment_world()


def _evidence_url(score):
    return f"/workspace/oversight/assessment/evidence/{score.token}/"


def _download(client, score) -> bytes:
    response = client.get(_evidence_url(score))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def scored(client, world, django_capture_on_commit_callbacks):
    """The bureau's points for 公开栏, with a first photo as evidence, entered
    by the reviewer (signed in)."""
    _scheme, indicator = _manual_scheme(world)
    client.force_login(world["reviewer"])
    first = factories.pdf_upload("第一次照片.pdf", "first photo")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            _score(client, world, indicator, world["bureau"], "4", first).status_code
            == 302
        )
    score = ManualScore.objects.get()
    assert default_storage.exists(score.evidence.name)
    return indicator, score


def test_a_replaced_evidence_file_leaves_storage_after_the_commit(
    client, world, scored, django_capture_on_commit_callbacks
):
    indicator, first = scored
    old_name = first.evidence.name
    second = factories.pdf_upload("第二次照片.pdf", "second photo")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _score(client, world, indicator, world["bureau"], "5", second)
        assert response.status_code == 302
    assert default_storage.exists(old_name)  # not before the commit
    for callback in callbacks:
        callback()

    score = ManualScore.objects.get()
    assert score.evidence.name != old_name
    assert not default_storage.exists(old_name)
    assert default_storage.exists(score.evidence.name)
    assert b"second photo" in _download(client, score)
    page = client.get(f"/workspace/oversight/assessment/scheme/{world['year']}/")
    assert "第二次照片.pdf" in page.content.decode()
    client.force_login(world["head"])
    assert b"second photo" in _download(client, score)


def test_points_without_a_new_file_keep_the_evidence(
    client, world, scored, django_capture_on_commit_callbacks
):
    indicator, first = scored
    with django_capture_on_commit_callbacks(execute=True):
        response = _score(client, world, indicator, world["bureau"], "3", "")
    assert response.status_code == 302
    score = ManualScore.objects.get()
    assert score.points == 3 and score.evidence.name == first.evidence.name
    assert b"first photo" in _download(client, score)


def test_a_refused_replacement_keeps_the_old_file(
    client, world, scored, django_capture_on_commit_callbacks
):
    indicator, first = scored
    bad = SimpleUploadedFile("假的.pdf", b"not a pdf", content_type="application/pdf")
    too_many = factories.pdf_upload("满分以上.pdf", "too many points")
    with django_capture_on_commit_callbacks(execute=True):
        invalid = _score(client, world, indicator, world["bureau"], "4", bad)
        refused = _score(client, world, indicator, world["bureau"], "9", too_many)
    assert invalid.status_code == 400
    assert refused.status_code == 400
    assert "得分应在0到5分之间。" in refused.content.decode()

    score = ManualScore.objects.get()
    assert score.evidence.name == first.evidence.name
    assert b"first photo" in _download(client, score)
    assert default_storage.listdir("assessment")[1] == [
        first.evidence.name.rpartition("/")[2]
    ]


def test_a_replacement_that_fails_keeps_the_old_file_and_drops_the_new(
    client, world, scored, django_capture_on_commit_callbacks
):
    indicator, first = scored
    second = factories.pdf_upload("第二次照片.pdf", "second photo")
    trail = AssessmentAuditEntry.objects.count()
    with (
        mock.patch.object(schemes, "_trail", side_effect=RuntimeError("disk full")),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        schemes.score_manual(
            indicator=indicator,
            organ=world["bureau"],
            by=world["reviewer"],
            points=5,
            uploaded=second,
            checked=check_upload(second),
        )
    assert callbacks == []
    score = ManualScore.objects.get()
    assert score.points == 4 and score.evidence.name == first.evidence.name
    assert AssessmentAuditEntry.objects.count() == trail
    assert b"first photo" in _download(client, score)
    assert default_storage.listdir("assessment")[1] == [
        first.evidence.name.rpartition("/")[2]
    ]


def test_a_file_that_cannot_be_deleted_is_logged_not_an_error(
    client, world, scored, django_capture_on_commit_callbacks, caplog
):
    indicator, first = scored
    second = factories.pdf_upload("第二次照片.pdf", "second photo")
    with (
        mock.patch.object(
            FileSystemStorage, "delete", side_effect=PermissionError("read-only")
        ),
        caplog.at_level(logging.ERROR, logger="disclosure.oversight.schemes"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _score(client, world, indicator, world["bureau"], "5", second)
    assert response.status_code == 302
    assert first.evidence.name in caplog.text
    score = ManualScore.objects.get()
    assert score.points == 5
    assert b"second photo" in _download(client, score)

    default_storage.delete(score.evidence.name)  # gone before its replacement
    third = factories.pdf_upload("第三次照片.pdf", "third photo")
    with django_capture_on_commit_callbacks(execute=True):
        response = _score(client, world, indicator, world["bureau"], "5", third)
    assert response.status_code == 302  # deleting a missing file is no error
    assert b"third photo" in _download(client, ManualScore.objects.get())
