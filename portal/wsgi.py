"""WSGI entry point: ``gunicorn portal.wsgi``."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# Production workers answer their first pages themselves before taking
# traffic (portal/warmup.py); PORTAL_WARM_UP=1 or 0 decides otherwise.
if os.environ.get("PORTAL_WARM_UP", "0" if settings.DEBUG else "1") == "1":
    from portal.warmup import warm_up

    warm_up(application)
