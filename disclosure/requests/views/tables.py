"""Tables 三 and 四 of an organ and year, computed from the registers, each
figure a link to the requests (or cases) behind it (the office only). The
annual report takes the same figures from ``disclosure.request_tables``."""

from django.utils import timezone
from django.views.decorators.http import require_GET

from disclosure import request_permissions as perms
from disclosure import request_tables as t

from ..forms import organs
from .common import _forbidden, register_required, render_staff


@require_GET
@register_required
def tables(request):
    if not perms.can_see_tables(request.user):
        return _forbidden(request)
    choices = list(organs())
    try:
        year = int(request.GET.get("year", timezone.localdate().year - 1))
    except ValueError:
        year = timezone.localdate().year - 1
    year = min(max(year, 2000), 2200)
    wanted = request.GET.get("organ", "")
    organ = next((o for o in choices if str(o.pk) == wanted), None)
    computed = t.organ_tables(organ, year)
    rows = []
    if computed:
        for key, label, level in t.TABLE3_ROWS:
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "level": level,
                    "cells": [
                        (column, computed.table3[key][index])
                        for index, column in enumerate(t.COLUMN_KEYS)
                    ]
                    if key
                    else [],
                }
            )
    return render_staff(
        request,
        "disclosure/requests/staff/tables.html",
        {
            "organs": choices,
            "organ": organ,
            "year": year,
            "computed": computed,
            "rows": rows,
            "columns": t.TABLE3_COLUMNS,
            "table4": [
                (label, computed.table4[group]) for group, label in t.TABLE4_GROUPS
            ]
            if computed
            else [],
            "table4_columns": t.TABLE4_COLUMNS,
        },
    )
