"""Staff workspace URLs (/workspace/)."""

from django.urls import path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import items as views

app_name = "workspace"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<id:pk>/", views.item_detail, name="item"),
    path("items/<id:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<id:pk>/review/", views.review, name="review"),
    path("items/<id:pk>/submit/", views.submit_item, name="submit"),
    path("items/<id:pk>/approve/", views.approve_item, name="approve"),
    path("items/<id:pk>/return/", views.return_item, name="return"),
    path("items/<id:pk>/publish/", views.publish_item, name="publish"),
    path("items/<id:pk>/unschedule/", views.unschedule_item, name="unschedule"),
    path("items/<id:pk>/withdraw/", views.withdraw_item, name="withdraw"),
    path("items/<id:pk>/remove/", views.remove_item, name="remove"),
    path("items/<id:pk>/files/", views.upload_attachments, name="upload"),
    path(
        "items/<id:pk>/files/<str:token>/",
        views.download_attachment,
        name="attachment",
    ),
    path(
        "items/<id:pk>/files/<str:token>/remove/",
        views.remove_attachment,
        name="attachment-remove",
    ),
    path("review/", views.review_queue, name="review-queue"),
    path("due-date", views.due_date, name="due-date"),
    path("audit/", views.audit_page, name="audit"),
    path("audit.csv", views.audit_csv, name="audit-csv"),
]
