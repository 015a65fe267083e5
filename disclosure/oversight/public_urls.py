"""Public pages of the annual reports (/reports/annual/), the fourth standard
section of the disclosure column. Cited in official letters: never change
them."""

from django.urls import path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import annual

app_name = "annual_reports"

urlpatterns = [
    path("annual/", annual.annual_public_list, name="list"),
    path("annual/<id:year>/", annual.annual_public_detail, name="detail"),
    path("annual/<id:year>/report.docx", annual.annual_public_docx, name="docx"),
]
