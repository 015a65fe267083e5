"""Staff workspace URLs (/workspace/)."""

from django.urls import path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import attachments, audit, clerk, items, review

app_name = "workspace"

urlpatterns = [
    path("", items.dashboard, name="dashboard"),
    path("items/", items.item_list, name="items"),
    path("items/new/", items.item_create, name="item-create"),
    path("items/<id:pk>/", items.item_detail, name="item"),
    path("items/<id:pk>/edit/", items.item_edit, name="item-edit"),
    path("items/<id:pk>/review/", review.review, name="review"),
    path("items/<id:pk>/submit/", review.submit_item, name="submit"),
    path("items/<id:pk>/approve/", review.approve_item, name="approve"),
    path("items/<id:pk>/return/", review.return_item, name="return"),
    path("items/<id:pk>/publish/", review.publish_item, name="publish"),
    path("items/<id:pk>/unschedule/", review.unschedule_item, name="unschedule"),
    path("items/<id:pk>/withdraw/", review.withdraw_item, name="withdraw"),
    path("items/<id:pk>/remove/", review.remove_item, name="remove"),
    path("items/<id:pk>/delete/", clerk.discard_item, name="discard"),
    path("items/<id:pk>/recall/", clerk.recall_item, name="recall"),
    path("items/<id:pk>/files/", attachments.upload_attachments, name="upload"),
    path(
        "items/<id:pk>/files/<str:token>/title/",
        clerk.rename_attachment,
        name="attachment-title",
    ),
    path(
        "items/<id:pk>/files/<str:token>/",
        attachments.download_attachment,
        name="attachment",
    ),
    path(
        "items/<id:pk>/files/<str:token>/remove/",
        attachments.remove_attachment,
        name="attachment-remove",
    ),
    path("review/", review.review_queue, name="review-queue"),
    path("due-date", items.due_date, name="due-date"),
    path("audit/", audit.audit_page, name="audit"),
    path("audit.csv", audit.audit_csv, name="audit-csv"),
]
