"""Citizens' URLs (/requests/)."""

from django.urls import path, re_path

from portal import converters  # noqa: F401 - registers the "id" converter

from .views import citizen

app_name = "requests"

urlpatterns = [
    path("", citizen.index, name="index"),
    path("new/", citizen.apply, name="new"),
    path("new/done/", citizen.done, name="done"),
    path("track/", citizen.track, name="track"),
    path("track/status/", citizen.status, name="status"),
    path("track/correct/", citizen.correct, name="correct"),
    path("track/fee/", citizen.fee, name="fee"),
    path("track/withdraw/", citizen.withdraw, name="withdraw"),
    path("track/leave/", citizen.leave, name="leave"),
    re_path(
        r"^track/letters/(?P<pk>[0-9]{1,18})\.(?P<fmt>docx|pdf)$",
        citizen.letter,
        name="letter",
    ),
]
