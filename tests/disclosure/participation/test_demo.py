"""The demo (``seed_demo``) shows each part of public participation, dated
relative to today: the site's identity, interpretations (published together,
missing, late, awaiting), consultations (open, closed, with feedback linked
from the adopted policy), complaints counted in the 通报, a subscription."""

import datetime

import pytest
from django.utils import timezone

from catalog import demo as catalog_demo
from disclosure.complaint_figures import complaint_figures
from disclosure.interpretations import (
    interpretations_awaiting_publication,
    late_interpretations,
    policies_without_interpretation,
)
from disclosure.models import (
    Consultation,
    ConsultationComment,
    Item,
    ItemKind,
    PublicRecord,
    SiteSettings,
    Subscription,
)
from disclosure.oversight import periods
from disclosure.participation.demo import seed_participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    departments = catalog_demo.seed_catalog()
    catalog_demo.seed_accounts(departments, password=None)
    assert seed_participation() is True
    return departments


def test_the_demo_has_each_part(client, seeded):
    today = timezone.localdate()
    now = timezone.now()
    identity = SiteSettings.load()
    assert identity.government_name == "示例区人民政府" and identity.emblem
    home = client.get("/").content.decode()
    assert "示例区人民政府" in home and "浙ICP备" in home

    # Interpretations.
    together = PublicRecord.objects.get(
        kind=ItemKind.INTERPRETATION, interpretation_form="qa"
    )
    policy = PublicRecord.objects.get(pk=together.interprets_id)
    assert timezone.localdate(policy.published_at) == timezone.localdate(
        together.published_at
    )
    assert (
        f'href="/items/{together.pk}/"'
        in client.get(f"/items/{policy.pk}/").content.decode()
    )
    start = today - datetime.timedelta(days=60)
    assert [
        r.title for r in policies_without_interpretation(start, today, now=now)
    ] == ["示例区关于废止部分行政规范性文件的决定"]
    assert [pair.days_late for pair in late_interpretations(start, today, now=now)] == [
        5
    ]
    waiting = Item.objects.get(title="示例区高标准农田建设管护办法")
    assert waiting.state == "approved"
    assert interpretations_awaiting_publication(waiting).count() == 1

    # Consultations.
    phases = sorted(c.phase() for c in Consultation.objects.all())
    assert phases == ["closed", "closed", "open"]
    open_one = next(c for c in Consultation.objects.all() if c.phase() == "open")
    states = set(open_one.comments.values_list("state", flat=True))
    assert states == {"published", "hidden", "spam", "pending"}
    with_feedback = Consultation.objects.get(feedback_state="published")
    adopted = PublicRecord.objects.get(pk=with_feedback.adopted_policy_id)
    assert adopted.status == "live"
    assert (
        f"/consultations/{with_feedback.pk}/feedback/"
        in client.get(adopted.get_absolute_url()).content.decode()
    )
    assert ConsultationComment.objects.filter(state="pending").count() == 1

    # Complaints: one in the last full quarter (the 通报's default), one now.
    quarter = periods.quarter_of(today)
    year, last = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    period = periods.quarter_period(year, last)
    figures = complaint_figures(period.start, period.end)
    assert (figures.received, figures.substantiated) == (1, 1)
    now_period = periods.quarter_period(today.year, quarter)
    assert complaint_figures(now_period.start, today).open == 1

    assert Subscription.objects.get().is_active

    # Idempotent.
    assert seed_participation() is False
    assert Consultation.objects.count() == 3
