"""Staff URLs (/workspace/requests/)."""

from django.urls import path, re_path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import appeals, register, steps, tables

app_name = "requests_staff"

urlpatterns = [
    path("", register.register_list, name="list"),
    re_path(r"^register\.(?P<fmt>csv|xlsx)$", register.export, name="export"),
    path("new/", register.register_new, name="new"),
    path("tables/", tables.tables, name="tables"),
    path("appeals/", appeals.appeal_list, name="appeals"),
    path("appeals/new/", appeals.appeal_edit, name="appeal-new"),
    path("appeals/<id:pk>/", appeals.appeal_edit, name="appeal"),
    path("<id:pk>/", steps.detail, name="detail"),
    path("<id:pk>/steps/<slug:name>/", steps.step, name="step"),
    re_path(
        r"^(?P<pk>[0-9]{1,18})/letters/(?P<letter_pk>[0-9]{1,18})\.(?P<fmt>docx|pdf)$",
        steps.letter,
        name="letter",
    ),
]
