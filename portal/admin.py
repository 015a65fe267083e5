"""The admin of accounts, roles, role requests and the account trail
(``portal.accounts.admin``), in place of Django's own."""

from django.contrib import admin

from .accounts.admin import register

register(admin.site)
