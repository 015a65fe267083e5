from django.urls import path

from portal import converters  # noqa: F401 - registers the "id" converter

from . import views

app_name = "catalog"

urlpatterns = [
    path("catalog/", views.catalog_index, name="index"),
    path("catalog/<id:pk>/", views.entry_detail, name="entry"),
    path("guide/", views.guide, name="guide"),
    path("tools/deadline/", views.deadline_tool, name="deadline"),
    path("api/v1/deadline", views.deadline_api, name="deadline-api"),
]
