"""Staff workspace URLs (/workspace/)."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "workspace"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/"), name="dashboard"),
    path("items/<int:pk>/", RedirectView.as_view(url="/admin/"), name="item"),
    path("items/<int:pk>/review/", RedirectView.as_view(url="/admin/"), name="review"),
]
