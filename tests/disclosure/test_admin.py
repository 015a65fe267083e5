"""The admin shows the disclosure data; only the review configuration is
edited there, and the audit trail cannot be changed by anyone."""

import pytest
from django.urls import reverse

from disclosure.models import (
    Attachment,
    AuditEntry,
    IndexSerial,
    Item,
    PublicRecord,
    ReviewConfig,
)
from tests import factories


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(db):
    dept = factories.DepartmentFactory(publisher_code="000014349")
    clerk = factories.clerk_of(dept)
    return factories.item_in_state(
        "published",
        department=dept,
        creator=clerk,
        reviewer=factories.reviewer(),
        attachment=True,
    )


@pytest.fixture
def superuser(db):
    user = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    return user


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [Item, PublicRecord, Attachment, AuditEntry, IndexSerial, ReviewConfig]
)
def test_lists_and_pages_open(client, superuser, published, model):
    client.force_login(superuser)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    obj = model.objects.first()
    if obj is not None:
        response = client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200


@pytest.mark.django_db
def test_item_list_searches_and_filters(client, superuser, published):
    client.force_login(superuser)
    response = client.get(admin_url(Item, "changelist"), {"q": published.title[:6]})
    assert published.title in response.content.decode()
    response = client.get(admin_url(Item, "changelist"), {"state__exact": "draft"})
    assert published.title not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Item, PublicRecord, Attachment, IndexSerial])
def test_workflow_data_is_read_only_in_the_admin(client, superuser, published, model):
    client.force_login(superuser)
    obj = model.objects.first()
    assert client.get(admin_url(model, "add")).status_code == 403
    assert (
        client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code
        == 403
    )
    page = client.get(admin_url(model, "change", obj.pk)).content.decode()
    assert 'name="_save"' not in page
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_audit_entries_cannot_be_added_changed_or_deleted(client, superuser, published):
    client.force_login(superuser)
    entry = AuditEntry.objects.filter(item=published).first()
    before = (entry.comment, entry.action, AuditEntry.objects.count())

    assert client.get(admin_url(AuditEntry, "add")).status_code == 403
    assert (
        client.post(admin_url(AuditEntry, "add"), {"comment": "x"}).status_code == 403
    )

    response = client.get(admin_url(AuditEntry, "change", entry.pk))
    assert response.status_code == 200  # view only
    assert 'name="_save"' not in response.content.decode()
    response = client.post(
        admin_url(AuditEntry, "change", entry.pk),
        {"comment": "改掉", "action": "remove"},
    )
    assert response.status_code == 403

    assert client.get(admin_url(AuditEntry, "delete", entry.pk)).status_code == 403
    response = client.post(admin_url(AuditEntry, "delete", entry.pk), {"post": "yes"})
    assert response.status_code == 403

    # No bulk delete action either.
    changelist = client.get(admin_url(AuditEntry, "changelist"))
    assert "delete_selected" not in changelist.content.decode()
    response = client.post(
        admin_url(AuditEntry, "changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)

    entry.refresh_from_db()
    assert (entry.comment, entry.action, AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_review_config_is_editable(client, superuser):
    dept = factories.DepartmentFactory()
    client.force_login(superuser)
    response = client.post(
        admin_url(ReviewConfig, "add"),
        {"department": dept.pk, "head_signoff": "on"},
    )
    assert response.status_code == 302
    config = ReviewConfig.objects.get(department=dept)
    assert config.head_signoff
    response = client.post(
        admin_url(ReviewConfig, "change", config.pk), {"department": dept.pk}
    )
    assert response.status_code == 302
    config.refresh_from_db()
    assert not config.head_signoff


@pytest.mark.django_db
def test_staff_without_permissions_see_nothing(client, published):
    staff = factories.UserFactory(username="staff", is_staff=True)
    client.force_login(staff)
    assert client.get(admin_url(AuditEntry, "changelist")).status_code == 403
    assert client.get(admin_url(Item, "changelist")).status_code == 403
