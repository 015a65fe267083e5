"""Public pages of the annual reports (/reports/annual/), the fourth standard
section of the disclosure column. Cited in official letters: never change
them."""

from django.urls import path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import annual as views

app_name = "annual_reports"

urlpatterns = [
    path("annual/", views.annual_public_list, name="list"),
    path("annual/<id:year>/", views.annual_public_detail, name="detail"),
    path("annual/<id:year>/report.docx", views.annual_public_docx, name="docx"),
]
