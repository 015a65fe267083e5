"""Feeds of consultations: each one when it is published (征求意见) and again
when its feedback is published (反馈), newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from disclosure.models import Consultation

from .http import FEED_MAX_AGE, cache_headers

FEED_LENGTH = 50


class ConsultationFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self):
        return _("意见征集")

    def description(self):
        return _("公开征求意见的草案和意见采纳情况反馈")

    subtitle = description

    def link(self):
        return reverse("participation:consultations")

    def items(self):
        published = Consultation.objects.filter(
            state=Consultation.State.PUBLISHED
        ).select_related("department")
        entries = [
            (c.published_at, "draft", c)
            for c in published.order_by("-published_at")[:FEED_LENGTH]
        ]
        entries += [
            (c.feedback_published_at, "feedback", c)
            for c in published.filter(
                feedback_state=Consultation.FeedbackState.PUBLISHED
            ).order_by("-feedback_published_at")[:FEED_LENGTH]
        ]
        entries.sort(key=lambda entry: entry[0], reverse=True)
        return entries[:FEED_LENGTH]

    def item_title(self, entry):
        _at, kind, consultation = entry
        if kind == "feedback":
            return _("【意见采纳情况】%(title)s") % {"title": consultation.title}
        return _("【征求意见】%(title)s") % {"title": consultation.title}

    def item_description(self, entry):
        _at, kind, consultation = entry
        if kind == "feedback":
            return linebreaks(consultation.feedback_summary)
        return _("%(department)s公开征求意见，征集期：%(start)s至%(end)s。") % {
            "department": consultation.department.name,
            "start": consultation.opens_on.isoformat(),
            "end": consultation.closes_on.isoformat(),
        }

    def item_link(self, entry):
        _at, kind, consultation = entry
        if kind == "feedback":
            return reverse("participation:feedback", args=[consultation.pk])
        return consultation.get_absolute_url()

    def item_pubdate(self, entry):
        return entry[0]

    def item_author_name(self, entry):
        return entry[2].department.name


class AtomConsultationFeed(ConsultationFeed):
    feed_type = Atom1Feed


rss_feed = cache_headers(ConsultationFeed(), max_age=FEED_MAX_AGE)
atom_feed = cache_headers(AtomConsultationFeed(), max_age=FEED_MAX_AGE)
