"""Public pages of the annual reports (/reports/annual/), the fourth standard
section of the disclosure column. Cited in official letters: never change
them."""

from django.urls import path

from . import oversight_views as views

app_name = "annual_reports"

urlpatterns = [
    path("annual/", views.annual_public_list, name="list"),
    path("annual/<int:year>/", views.annual_public_detail, name="detail"),
    path("annual/<int:year>/report.docx", views.annual_public_docx, name="docx"),
]
