"""Public URLs of the disclosure column. They are cited in official letters:
never change them."""

from django.http import Http404
from django.urls import path
from django.views.generic import TemplateView


def _not_yet(request, *args, **kwargs):
    raise Http404


app_name = "disclosure"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("items/<int:pk>/", _not_yet, name="item"),
    path("items/<int:pk>/files/<str:token>/", _not_yet, name="attachment"),
]
