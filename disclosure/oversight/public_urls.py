"""Public pages of the annual reports (/reports/annual/), the fourth standard
section of the disclosure column. Cited in official letters: never change
them. ``<year>/`` and ``<year>/report.docx`` are the government's own report
(本级政府), as they have always been; each organ's report has its own
address, and every published text (before and after a correction) too."""

from django.urls import path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import annual_public as views

app_name = "annual_reports"

urlpatterns = [
    path("annual/", views.annual_public_list, name="list"),
    path("annual/<id:year>/", views.annual_public_detail, name="detail"),
    path("annual/<id:year>/report.docx", views.annual_public_docx, name="docx"),
    path("annual/<id:year>/<slug:organ>/", views.annual_public_detail, name="organ"),
    path(
        "annual/<id:year>/<slug:organ>/report.docx",
        views.annual_public_docx,
        name="organ-docx",
    ),
    path(
        "annual/<id:year>/<slug:organ>/v<id:number>/",
        views.annual_public_revision,
        name="revision",
    ),
    path(
        "annual/<id:year>/<slug:organ>/v<id:number>/report.docx",
        views.annual_public_revision_docx,
        name="revision-docx",
    ),
]
