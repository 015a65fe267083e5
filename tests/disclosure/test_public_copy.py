"""The public downloads a copy of each attachment without the document
metadata (author, company, revision history); staff keep the original. Without
a checked copy there is no public download at all, never the original."""

import importlib
import io
import logging

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pypdf import PdfReader

from disclosure import workflow
from disclosure.models import Attachment
from disclosure.uploads import check_upload
from tests import factories
from tests.disclosure.test_scrub import NAME, docx_with_metadata, parts_of
from tests.disclosure.test_uploads import png_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.django_db
def test_public_download_has_no_author_while_staff_keep_the_original(client):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    reviewer = factories.reviewer()
    item = factories.draft_item(clerk, department)
    original = docx_with_metadata()
    assert any(NAME.encode() in part for part in parts_of(original).values())
    upload = SimpleUploadedFile("方案.docx", original, content_type=DOCX)
    attachment = workflow.add_attachment(
        item=item, by=clerk, uploaded=upload, checked=check_upload(upload)
    )
    workflow.submit(item=item, by=clerk)
    workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=reviewer)

    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    public_bytes = b"".join(response.streaming_content)
    assert public_bytes.startswith(b"PK")
    assert not any(NAME.encode() in part for part in parts_of(public_bytes).values())
    assert response["ETag"] == f'"{attachment.public_sha256}"'

    client.force_login(clerk)
    staff = client.get(f"/workspace/items/{item.pk}/files/{attachment.token}/")
    assert staff.status_code == 200
    assert b"".join(staff.streaming_content) == original


@pytest.mark.django_db
def test_a_file_with_nothing_to_remove_is_served_as_uploaded(client):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    reviewer = factories.reviewer()
    item = factories.draft_item(clerk, department)
    original = png_file()
    upload = SimpleUploadedFile("现场照片.png", original, content_type="image/png")
    attachment = workflow.add_attachment(
        item=item, by=clerk, uploaded=upload, checked=check_upload(upload)
    )
    workflow.submit(item=item, by=clerk)
    workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=reviewer)
    attachment.refresh_from_db()
    # No second copy is stored when there is nothing to take out.
    assert not attachment.public_file
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == original
    assert response["ETag"] == f'"{attachment.sha256}"'


# --- fail closed: no clean copy, no public download ---------------------------------


def published_attachment(original: bytes, name: str):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    reviewer = factories.reviewer()
    item = factories.draft_item(clerk, department)
    upload = SimpleUploadedFile(name, original)
    attachment = workflow.add_attachment(
        item=item, by=clerk, uploaded=upload, checked=check_upload(upload)
    )
    workflow.submit(item=item, by=clerk)
    workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=reviewer)
    return attachment, clerk


def staff_download(client, clerk, attachment) -> bytes:
    client.force_login(clerk)
    response = client.get(
        f"/workspace/items/{attachment.item_id}/files/{attachment.token}/"
    )
    client.logout()
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_an_attachment_without_a_checked_copy_is_never_served_to_the_public(client):
    original = docx_with_metadata()
    attachment, clerk = published_attachment(original, "方案.docx")
    assert client.get(attachment.get_absolute_url()).status_code == 200
    # As attachments uploaded before the copy was made at upload: no copy,
    # nothing recorded as checked.
    Attachment.objects.filter(pk=attachment.pk).update(public_file="", public_sha256="")

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 404
    assert NAME.encode() not in response.content
    assert staff_download(client, clerk, attachment) == original


@pytest.mark.django_db
def test_a_public_copy_lost_from_storage_is_not_replaced_by_the_original(client):
    attachment, clerk = published_attachment(docx_with_metadata(), "方案.docx")
    attachment.public_file.storage.delete(attachment.public_file.name)

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 404
    assert NAME.encode() not in response.content


# --- attachments uploaded before: checked once more by the migration ------------------


def check_older_attachments():
    migration = importlib.import_module(
        "disclosure.migrations.0006_attachment_public_copy_checked"
    )
    migration.check_older_attachments(django_apps, None)


@pytest.mark.django_db
def test_older_attachments_get_a_clean_copy_or_no_public_download(client, caplog):
    with_author, _clerk = published_attachment(docx_with_metadata(), "方案.docx")
    clean, _clerk = published_attachment(png_file(), "照片.png")
    damaged, _clerk = published_attachment(png_file(), "损坏.png")
    # As they were stored before: no copy, nothing recorded as checked; one
    # file damaged (as the demo's PDFs without a cross-reference table were).
    with damaged.file.storage.open(damaged.file.name, "wb") as handle:
        handle.write(png_file()[:20])
    Attachment.objects.update(public_file="", public_sha256="")

    with caplog.at_level(logging.WARNING, logger="disclosure.scrub"):
        check_older_attachments()

    response = client.get(with_author.get_absolute_url())
    assert response.status_code == 200
    public_bytes = b"".join(response.streaming_content)
    assert not any(NAME.encode() in part for part in parts_of(public_bytes).values())
    response = client.get(clean.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_file()
    assert client.get(damaged.get_absolute_url()).status_code == 404
    assert [
        record.getMessage()
        for record in caplog.records
        if record.name == "disclosure.scrub"
    ] == [
        f"attachment 损坏.png of item {damaged.item_id} has no public download: "
        "damaged PNG chunk"
    ]


# --- the demo --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_attaches_valid_pdfs_and_seeds_without_a_warning(
    client, caplog, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with caplog.at_level(logging.INFO):
        call_command("seed_demo", stdout=io.StringIO())

    assert [
        (record.name, record.getMessage())
        for record in caplog.records
        if record.levelno >= logging.WARNING or record.name == "disclosure.scrub"
    ] == []
    attachments = Attachment.objects.filter(is_published=True).select_related("item")
    assert attachments.count() >= 10
    for attachment in attachments:
        response = client.get(attachment.get_absolute_url())
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        reader = PdfReader(io.BytesIO(content), strict=True)
        assert len(reader.pages) == 1
        assert dict(reader.metadata) == {"/Title": attachment.item.title}
        assert attachment.item.title in reader.pages[0].extract_text().replace("\n", "")
