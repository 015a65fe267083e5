"""factory_boy factories for the tests."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from catalog.models import (
    CatalogArea,
    CatalogEntry,
    Department,
    DocumentType,
    Membership,
    TopicCategory,
)
from disclosure import workflow
from disclosure.permissions import OFFICE_ADMIN_GROUP, REVIEWER_GROUP


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.cn")
    password = factory.django.Password("correct-horse-battery")


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

    area = factory.SubFactory(CatalogAreaFactory)
    level1 = factory.Sequence(lambda n: f"一级事项{n}")
    level2 = "二级事项"
    time_limit_kind = CatalogEntry.TimeLimitKind.WORKING_DAYS
    time_limit_days = 20
    responsible_department = factory.SubFactory(DepartmentFactory)


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
