"""URLs of public participation: the public pages (consultations,
subscriptions, complaints, departments' columns, the emblem) and the staff
pages under /workspace/ (consultations, moderation, complaints, the joint
publication of a policy and its interpretations). Public addresses are cited
and subscribed to: never change them."""

from django.urls import path, re_path

from portal import converters  # noqa: F401 - registers the "id" converter

from . import feeds
from .views import (
    complaints,
    consultations,
    departments,
    site,
    staff_complaints,
    staff_consultations,
    staff_feedback,
    staff_interpretations,
    subscriptions,
)

app_name = "participation"

public = [
    path("consultations/", consultations.consultation_list, name="consultations"),
    path("consultations/feed.rss", feeds.rss_feed, name="consultation-feed-rss"),
    path("consultations/feed.atom", feeds.atom_feed, name="consultation-feed-atom"),
    path(
        "consultations/<id:pk>/",
        consultations.consultation_detail,
        name="consultation",
    ),
    path(
        "consultations/<id:pk>/comment/",
        consultations.comment_form,
        name="comment",
    ),
    path(
        "consultations/<id:pk>/comment/thanks/",
        consultations.comment_thanks,
        name="comment-thanks",
    ),
    path("consultations/<id:pk>/feedback/", consultations.feedback, name="feedback"),
    path(
        "consultations/<id:pk>/files/<str:token>/",
        consultations.consultation_file,
        name="consultation-file",
    ),
    path("subscriptions/", subscriptions.subscribe, name="subscribe"),
    path(
        "subscriptions/sent/",
        subscriptions.subscription_sent,
        name="subscription-sent",
    ),
    path(
        "subscriptions/confirm/<str:token>/",
        subscriptions.confirm,
        name="subscription-confirm",
    ),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        subscriptions.unsubscribe,
        name="subscription-unsubscribe",
    ),
    path(
        "subscriptions/manage/",
        subscriptions.manage_link,
        name="subscription-manage-link",
    ),
    path(
        "subscriptions/manage/<str:token>/",
        subscriptions.manage,
        name="subscription-manage",
    ),
    path("complaints/", complaints.complaint_form, name="complaint"),
    path(
        "complaints/status/<slug:key>/",
        complaints.complaint_status,
        name="complaint-status",
    ),
    path(
        "departments/<slug:code>/",
        departments.department_column,
        name="department",
    ),
    re_path(
        r"^site/emblem-(?P<digest>[0-9a-f]{16})\.(?P<extension>png|jpg)$",
        site.emblem,
        name="site-emblem",
    ),
]

staff = [
    path(
        "workspace/consultations/",
        staff_consultations.consultation_list,
        name="staff-consultations",
    ),
    path(
        "workspace/consultations/new/",
        staff_consultations.consultation_edit,
        name="staff-consultation-new",
    ),
    path(
        "workspace/consultations/<id:pk>/",
        staff_consultations.consultation_detail,
        name="staff-consultation",
    ),
    path(
        "workspace/consultations/<id:pk>/edit/",
        staff_consultations.consultation_edit,
        name="staff-consultation-edit",
    ),
    path(
        "workspace/consultations/<id:pk>/files/",
        staff_consultations.upload_files,
        name="staff-consultation-upload",
    ),
    path(
        "workspace/consultations/<id:pk>/files/<str:token>/",
        staff_consultations.download_file,
        name="staff-consultation-file",
    ),
    path(
        "workspace/consultations/<id:pk>/files/<str:token>/remove/",
        staff_consultations.remove_file,
        name="staff-consultation-file-remove",
    ),
    path(
        "workspace/consultations/<id:pk>/submit/",
        staff_consultations.submit,
        name="staff-consultation-submit",
    ),
    path(
        "workspace/consultations/<id:pk>/return/",
        staff_consultations.return_consultation,
        name="staff-consultation-return",
    ),
    path(
        "workspace/consultations/<id:pk>/publish/",
        staff_consultations.publish,
        name="staff-consultation-publish",
    ),
    path(
        "workspace/consultations/<id:pk>/feedback/",
        staff_feedback.save_feedback,
        name="staff-feedback-save",
    ),
    path(
        "workspace/consultations/<id:pk>/feedback/submit/",
        staff_feedback.submit_feedback,
        name="staff-feedback-submit",
    ),
    path(
        "workspace/consultations/<id:pk>/feedback/return/",
        staff_feedback.return_feedback,
        name="staff-feedback-return",
    ),
    path(
        "workspace/consultations/<id:pk>/feedback/publish/",
        staff_feedback.publish_feedback,
        name="staff-feedback-publish",
    ),
    path(
        "workspace/consultations/<id:pk>/adopted-policy/",
        staff_feedback.link_policy,
        name="staff-link-policy",
    ),
    path("workspace/comments/", staff_feedback.comment_queue, name="staff-comments"),
    path(
        "workspace/comments/<id:pk>/moderate/",
        staff_feedback.moderate,
        name="staff-moderate",
    ),
    path(
        "workspace/complaints/",
        staff_complaints.complaint_list,
        name="staff-complaints",
    ),
    path(
        "workspace/complaints/<id:pk>/",
        staff_complaints.complaint_detail,
        name="staff-complaint",
    ),
    path(
        "workspace/complaints/<id:pk>/accept/",
        staff_complaints.accept,
        name="staff-complaint-accept",
    ),
    path(
        "workspace/complaints/<id:pk>/conclude/",
        staff_complaints.conclude,
        name="staff-complaint-conclude",
    ),
    path(
        "workspace/interpretations/",
        staff_interpretations.overview,
        name="interpretations",
    ),
    path(
        "workspace/interpretations/<id:pk>/publish/",
        staff_interpretations.publish_together,
        name="publish-together",
    ),
]

urlpatterns = public + staff
