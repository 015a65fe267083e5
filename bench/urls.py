"""The portal's URLs plus the baseline view (bench/settings.py)."""

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

from .baseline import baseline

urlpatterns = [path("bench/baseline", baseline, name="bench-baseline")]
urlpatterns += portal_urlpatterns
