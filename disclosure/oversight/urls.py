"""The disclosure office's oversight pages (/workspace/oversight/)."""

from django.urls import path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import (
    annual,
    assessment,
    assessment_scheme,
    bulletin,
    completeness,
    dashboard,
    register,
    self_inspection,
    statistics,
)

app_name = "oversight"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("items/", dashboard.items, name="items"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("completeness/", completeness.completeness_page, name="completeness"),
    path("assessment/", assessment.assessment_page, name="assessment"),
    path(
        "assessment/organ/<slug:organ>/",
        assessment.assessment_organ,
        name="assessment-organ",
    ),
    path(
        "assessment/evidence/<slug:token>/",
        assessment.assessment_evidence,
        name="assessment-evidence",
    ),
    path(
        "assessment/scheme/",
        assessment_scheme.scheme_page,
        name="assessment-scheme-default",
    ),
    path(
        "assessment/scheme/<id:year>/",
        assessment_scheme.scheme_page,
        name="assessment-scheme",
    ),
    path(
        "assessment/scheme/<id:year>/create/",
        assessment_scheme.scheme_create,
        name="assessment-scheme-create",
    ),
    path(
        "assessment/scheme/<id:year>/save/",
        assessment_scheme.scheme_save,
        name="assessment-scheme-save",
    ),
    path(
        "assessment/scheme/<id:year>/publish/",
        assessment_scheme.scheme_publish,
        name="assessment-scheme-publish",
    ),
    path(
        "assessment/scheme/<id:year>/score/",
        assessment_scheme.score_save,
        name="assessment-scheme-score",
    ),
    path("bulletin/", bulletin.bulletin, name="bulletin"),
    path("register/", register.register, name="register"),
    path("annual/", annual.annual_list, name="annual-list"),
    path("annual/audit.csv", annual.annual_audit_csv, name="annual-audit"),
    path("annual/<id:year>/", annual.annual_list, name="annual-year"),
    path("annual/<id:year>/<slug:organ>/", annual.annual_edit, name="annual"),
    path(
        "annual/<id:year>/<slug:organ>/report.docx",
        annual.annual_docx,
        name="annual-docx",
    ),
    path(
        "self-inspection/",
        self_inspection.self_inspection_list,
        name="self-inspection-list",
    ),
    path(
        "self-inspection/<id:pk>/",
        self_inspection.self_inspection_detail,
        name="self-inspection",
    ),
    path(
        "self-inspection/<id:pk>/report.docx",
        self_inspection.self_inspection_docx,
        name="self-inspection-docx",
    ),
]
