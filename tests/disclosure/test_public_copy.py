"""The public downloads a copy of each attachment without the document
metadata (author, company, revision history); staff keep the original."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import workflow
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
