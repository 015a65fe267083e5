"""Fixtures of the participation tests: the public site's world (two
departments, a clerk each, a reviewer, an office administrator), and
consultations taken to a phase through the real steps."""

import datetime

import pytest
from django.utils import timezone

from disclosure.participation import consultations
from tests import factories
from tests.disclosure.public_fixtures import build_world


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def second_reviewer(db):
    return factories.reviewer()


def consultation_data(world, **overrides):
    today = timezone.localdate()
    data = {
        "department": world.department,
        "title": "示例区农村生活垃圾分类管理办法（征求意见稿）",
        "draft_text": "<p>第一条 为推进农村生活垃圾分类，制定本办法。</p>",
        "explanation": "<p>起草说明。</p>",
        "opens_on": today,
        "closes_on": today + datetime.timedelta(days=30),
        "is_major_decision": True,
        "short_period_reason": "",
        "offline_contact": "电子邮箱：yjzj@example.gov.cn",
    }
    data.update(overrides)
    return data


def published_consultation(world, **overrides):
    """A consultation drafted by the department's clerk and published by the
    office's reviewer (open from today unless ``opens_on`` says otherwise)."""
    consultation = consultations.create_consultation(
        by=world.clerk, data=consultation_data(world, **overrides)
    )
    consultations.submit_consultation(consultation=consultation, by=world.clerk)
    return consultations.publish_consultation(
        consultation=consultation, by=world.reviewer
    )


def move_clock(clock, days: int) -> None:
    """Move the test clock (tests/conftest.py: clock) by whole days."""
    clock.move_to(timezone.now() + datetime.timedelta(days=days))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(action, *args)``: run ``action``, then what it scheduled
    for after the commit (e-mail), as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run
