"""The disclosure office's oversight pages (/workspace/oversight/)."""

from django.urls import path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import annual as views

app_name = "oversight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("items/", views.items, name="items"),
    path("statistics/", views.statistics, name="statistics"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("annual/", views.annual_list, name="annual-list"),
    path("annual/<id:year>/", views.annual_edit, name="annual"),
    path("annual/<id:year>/report.docx", views.annual_docx, name="annual-docx"),
    path("self-inspection/", views.self_inspection_list, name="self-inspection-list"),
    path(
        "self-inspection/<id:pk>/",
        views.self_inspection_detail,
        name="self-inspection",
    ),
    path(
        "self-inspection/<id:pk>/report.docx",
        views.self_inspection_docx,
        name="self-inspection-docx",
    ),
]
