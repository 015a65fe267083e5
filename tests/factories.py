"""factory_boy factories for the tests, and builders that take an item
through the workflow to a given state."""

import datetime
import functools

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.element_models import sync_elements
from catalog.models import (
    CatalogArea,
    CatalogEntry,
    Department,
    DocumentType,
    Membership,
    TopicCategory,
)
from disclosure import workflow
from disclosure.models import Item, PublicRecord, ReviewConfig
from disclosure.permissions import OFFICE_ADMIN_GROUP, REVIEWER_GROUP
from disclosure.uploads import check_upload

PASSWORD = "correct-horse-battery"


def _cached_make_password(raw_password):
    # Hashing costs a quarter of a second with the production hasher; tests
    # make hundreds of users, all with the same password: hash it once (per
    # hasher setting, which a test may override).
    return _make_password(raw_password, tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _make_password(raw_password, hashers):
    return make_password(raw_password)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.cn")
    password = factory.django.Password(PASSWORD, transform=_cached_make_password)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"区第{n}局")
    publisher_code = factory.Sequence(lambda n: f"11330110{n:09d}X")


class CatalogAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogArea
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"领域{n}")


class CatalogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogEntry
        skip_postgeneration_save = True

    area = factory.SubFactory(CatalogAreaFactory)
    level1 = factory.Sequence(lambda n: f"一级事项{n}")
    level2 = "二级事项"
    time_limit_kind = CatalogEntry.TimeLimitKind.WORKING_DAYS
    time_limit_days = 20
    responsible_department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def elements(obj, create, extracted, **kwargs):
        """The entry's content elements, read from its text."""
        if create:
            sync_elements(obj)


def clerk_of(department, username=None, role=Membership.Role.CLERK):
    user = UserFactory(username=username) if username else UserFactory()
    Membership.objects.get_or_create(user=user, department=department, role=role)
    return user


def in_group(group_name, username=None):
    user = UserFactory(username=username) if username else UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def reviewer(username=None):
    return in_group(REVIEWER_GROUP, username)


def office_admin(username=None):
    return in_group(OFFICE_ADMIN_GROUP, username)


def item_data(department, **overrides):
    data = {
        "department": department,
        "title": "关于2026年耕地地力保护补贴发放的公示",
        "body": "<p>根据有关规定，现将补贴发放情况公示如下。</p>",
        "formed_on": datetime.date(2026, 3, 2),
        "topic": TopicCategory.objects.get(code="0601"),
        "document_type": DocumentType.objects.get(code="announcement"),
        "doc_number": "示农发〔2026〕3号",
        "keywords": "补贴 公示",
    }
    data.update(overrides)
    return data


def draft_item(clerk, department, **overrides):
    return workflow.create_item(by=clerk, data=item_data(department, **overrides))


def head_of(department, username=None):
    """A department head (部门负责人) of ``department``."""
    return clerk_of(department, username, role=Membership.Role.HEAD)


def require_head_signoff(department):
    ReviewConfig.objects.update_or_create(
        department=department, defaults={"head_signoff": True}
    )
    return department


# --- files ---------------------------------------------------------------------


def minimal_pdf(text: str = "Hello") -> bytes:
    """A small but well-formed one-page PDF (header, objects, xref, trailer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_upload(name: str = "附件.pdf", text: str = "Hello") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")


def attach_pdf(item, by, name: str = "附件.pdf", text: str = "Hello"):
    """Attach a PDF through the upload check and the workflow, as the
    workspace does."""
    uploaded = pdf_upload(name, text)
    return workflow.add_attachment(
        item=item, by=by, uploaded=uploaded, checked=check_upload(uploaded)
    )


# --- items in a given state ------------------------------------------------------

#: The states ``item_in_state`` can build, as the workspace shows them.
BUILDABLE_STATES = (
    "draft",
    "returned",
    "submitted_head",  # in a department with head sign-off
    "submitted_office",
    "submitted_office_after_head",  # head signed off; office review next
    "approved",
    "scheduled",
    "scheduled_past",  # scheduled, and the time has come (no job ran)
    "published",
    "published_editing",  # a published item being changed (state draft)
    "approved_revision",  # the change approved, not yet published
    "withdrawn",
    "removed",
)


def make_due(item):
    """Move a scheduled item's publication time into the past, as if time had
    passed (no job runs at that time: the state stays ``scheduled``)."""
    past = timezone.now() - datetime.timedelta(hours=1)
    Item.objects.filter(pk=item.pk).update(publish_at=past, first_published_at=past)
    PublicRecord.objects.filter(item_id=item.pk).update(
        published_at=past, updated_at=past
    )
    return Item.objects.get(pk=item.pk)


def _through_review(item, *, head, reviewer):
    while item.state == Item.State.SUBMITTED:
        if item.review_stage == "head":
            item = workflow.approve(item=item, by=head)
        else:
            item = workflow.approve(
                item=item, by=reviewer, confidentiality_checked=True
            )
    return item


def item_in_state(
    state,
    *,
    department,
    creator,
    reviewer,
    editor=None,
    submitter=None,
    head=None,
    admin=None,
    attachment=False,
    **overrides,
):
    """An item taken to ``state`` (one of :data:`BUILDABLE_STATES`) through the
    workflow functions: created by ``creator``, edited by ``editor`` (who is
    then its last editor), submitted by ``submitter`` (default: the creator),
    reviewed by ``head`` (head stage) and ``reviewer``, withdrawn or removed by
    ``admin``. The setup users must hold the roles they act in."""
    if state not in BUILDABLE_STATES:
        raise ValueError(f"unknown state {state!r}")
    submitter = submitter or creator
    last_editor = editor or creator
    item = draft_item(creator, department, **overrides)
    if attachment:
        attach_pdf(item, creator)
        item.refresh_from_db()
    if editor is not None:
        item = workflow.update_item(
            item=item,
            by=editor,
            data={"keywords": "补贴 公示 修改"},
            expected_version=item.version,
        )
    if state == "draft":
        return item
    item = workflow.submit(item=item, by=submitter)
    if state == "submitted_head":
        assert item.review_stage == "head", "needs a department with head sign-off"
        return item
    if state == "submitted_office":
        assert item.review_stage == "office"
        return item
    if state == "submitted_office_after_head":
        assert item.review_stage == "head", "needs a department with head sign-off"
        return workflow.approve(item=item, by=head)
    if state == "returned":
        return workflow.return_item(
            item=item,
            by=head if item.review_stage == "head" else reviewer,
            comment="请补充政策依据。",
        )
    item = _through_review(item, head=head, reviewer=reviewer)
    if state == "approved":
        return item
    if state in ("scheduled", "scheduled_past"):
        item = workflow.publish(
            item=item, by=reviewer, at=timezone.now() + datetime.timedelta(days=2)
        )
        return make_due(item) if state == "scheduled_past" else item
    item = workflow.publish(item=item, by=reviewer)
    if state == "published":
        return item
    if state == "withdrawn":
        return workflow.withdraw(item=item, by=admin, reason="政策已调整，撤销公开。")
    if state == "removed":
        return workflow.remove(item=item, by=admin, reason="错发，删除。")
    item = workflow.update_item(
        item=item,
        by=last_editor,
        data={"title": "关于2026年耕地地力保护补贴发放的公示（更正）"},
        expected_version=item.version,
    )
    if state == "published_editing":
        return item
    item = workflow.submit(item=item, by=submitter)
    return _through_review(item, head=head, reviewer=reviewer)  # approved_revision
