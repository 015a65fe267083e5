"""What the demo modules share: running steps as if at a past moment, the
demo's people, and an item taken through drafting and review."""

import contextlib
import datetime
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import DocumentType, TopicCategory
from disclosure import workflow


@contextlib.contextmanager
def as_if_at(when: datetime.datetime):
    with mock.patch.object(timezone, "now", return_value=when):
        yield


def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


class Cast:
    def __init__(self):
        users = {u.username: u for u in get_user_model().objects.all()}
        self.clerk = users["clerk"]  # 区财政局, 区农业农村局
        self.clerk2 = users["clerk2"]  # 区住房和城乡建设局, 区发展和改革局
        self.reviewer = users["reviewer"]
        self.admin = users["admin"]
        self.head = users["head"]


def approved_item(cast, clerk, department, day, *, title, type_code, body, **extra):
    with as_if_at(moment(day, 9)):
        item = workflow.create_item(
            by=clerk,
            data={
                "department": department,
                "title": title,
                "body": body,
                "formed_on": day,
                "topic": TopicCategory.objects.get(code="0601"),
                "document_type": DocumentType.objects.get(code=type_code),
                "keywords": "政策 解读",
                **extra,
            },
        )
        item = workflow.submit(item=item, by=clerk)
        if item.review_stage == "head":
            item = workflow.approve(item=item, by=cast.head)
        return workflow.approve(
            item=item, by=cast.reviewer, confidentiality_checked=True
        )
