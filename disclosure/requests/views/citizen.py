"""The citizens' pages (/requests/): how to apply, the application form, and
tracking with the number and the secret access code. They work without
JavaScript and without an account; nothing of an applicant is cached or
shown to anyone without the code.

Abuse is bounded without a third-party captcha: a honeypot field, bounded
fields and bodies, submissions per address and hour, tracking attempts per
address and per number (a number with too many wrong codes is locked for an
hour, even for the right code)."""

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog.selectors import work_calendar
from disclosure import request_access
from disclosure.models import InformationRequest, RequestEvent
from disclosure.request_queries import clock_of, with_pauses
from disclosure.workflow import WorkflowError
from disclosure.workflow import requests as steps
from portal import ratelimit
from portal.ratelimit import rate_limited

from ..forms import ApplicationForm, CorrectionForm, FeeResponseForm, TrackForm
from ..selectors import applicant_letters, organs_for_guide
from .common import letter_response, private

#: The largest application or correction accepted, in bytes (the setting
#: PORTAL_REQUEST_MAX_BODY overrides it).
MAX_BODY = 64 * 1024
ACCESS_KEY = "requests:access"
WITHDRAWABLE = steps.TRANSITIONS["withdraw"][0]
NEW_KEY = "requests:new"


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > getattr(settings, "PORTAL_REQUEST_MAX_BODY", MAX_BODY)


def _refuse_large(request):
    return private(
        render(request, "disclosure/requests/too_large.html", {}, status=413)
    )


@require_GET
def index(request):
    return render(
        request, "disclosure/requests/index.html", {"organs": organs_for_guide()}
    )


@require_http_methods(["GET", "POST"])
def apply(request):
    """Every post is limited per address by the middleware; applications
    also per address and hour (only valid ones count, so that a visitor
    correcting mistakes is not locked out)."""
    if request.method == "POST":
        if _too_large(request):
            return _refuse_large(request)
        form = ApplicationForm(request.POST)
        if form.is_valid():
            refused = ratelimit.limit_for(
                "requests-new",
                request,
                limit=settings.PORTAL_REQUEST_SUBMISSIONS_PER_HOUR,
                window=3600,
            )
            if refused is not None:
                return private(refused)
            try:
                created, code = steps.submit_online(data=form.applicant_data())
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                request.session[NEW_KEY] = {"number": created.number, "code": code}
                return redirect("requests:done")
    else:
        form = ApplicationForm()
    return private(render(request, "disclosure/requests/apply.html", {"form": form}))


@require_GET
def done(request):
    shown = request.session.pop(NEW_KEY, None)
    if not shown:
        return redirect("requests:track")
    return private(
        render(
            request,
            "disclosure/requests/done.html",
            {"number": shown["number"], "code": request_access.display(shown["code"])},
        )
    )


# --- tracking ------------------------------------------------------------------------------


def _failure_key(number: str) -> str:
    digest = hashlib.sha256(number.encode()).hexdigest()[:32]
    window = int(time.time() // 3600)
    return f"requests:track-failures:{digest}:{window}"


def _locked_out(number: str) -> bool:
    return cache.get(_failure_key(number), 0) >= settings.PORTAL_REQUEST_TRACK_FAILURES


def _count_failure(number: str) -> None:
    key = _failure_key(number)
    cache.add(key, 0, timeout=3700)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3700)


def _find(number: str, code: str) -> InformationRequest | None:
    found = (
        InformationRequest.objects.filter(number=number)
        .exclude(state=InformationRequest.State.DISCARDED)
        .only("pk", "access_code_hash")
        .first()
    )
    ok = request_access.matches(found.access_code_hash if found else None, code)
    return found if ok else None


@require_http_methods(["GET", "POST"])
@rate_limited("requests-track", limit=10, window=600)
def track(request):
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["number"]
            if _locked_out(number):
                form.add_error(None, _("这个申请编号查询失败次数过多，请1小时后再试。"))
            else:
                found = _find(number, form.cleaned_data["code"])
                if found is None:
                    _count_failure(number)
                    form.add_error(None, _("申请编号或查询码不正确。"))
                else:
                    request.session.cycle_key()
                    request.session[ACCESS_KEY] = {
                        "id": found.pk,
                        "until": time.time() + settings.SESSION_COOKIE_AGE,
                    }
                    RequestEvent.objects.create(
                        request=found,
                        action=RequestEvent.Action.APPLICANT_VIEW,
                        at=timezone.now(),
                        to_state="",
                    )
                    return redirect("requests:status")
    else:
        form = TrackForm()
    return private(render(request, "disclosure/requests/track.html", {"form": form}))


def _tracked(request) -> InformationRequest | None:
    access = request.session.get(ACCESS_KEY)
    if not isinstance(access, dict) or access.get("until", 0) < time.time():
        return None
    return (
        with_pauses(InformationRequest.objects.all())
        .filter(pk=access.get("id"))
        .exclude(state=InformationRequest.State.DISCARDED)
        .first()
    )


def applicant_only(view):
    def wrapper(request, *args, **kwargs):
        tracked = _tracked(request)
        if tracked is None:
            messages.info(request, _("请输入申请编号和查询码。"))
            return redirect("requests:track")
        return private(view(request, tracked, *args, **kwargs))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_GET
@applicant_only
def status(request, tracked):
    return _status_page(request, tracked)


def _status_page(request, tracked, *, correction_form=None, fee_form=None, code=200):
    clock = clock_of(tracked, timezone.localdate(), work_calendar())
    return render(
        request,
        "disclosure/requests/status.html",
        {
            "tracked": tracked,
            "clock": clock,
            "letters": applicant_letters(tracked),
            "correction_form": correction_form or CorrectionForm(),
            "fee_form": fee_form or FeeResponseForm(),
            "State": InformationRequest.State,
            "can_withdraw": tracked.state in WITHDRAWABLE,
        },
        status=code,
    )


@require_http_methods(["GET", "POST"])
@applicant_only
def correct(request, tracked):
    if request.method == "GET":
        return redirect("requests:status")
    if _too_large(request):
        return _refuse_large(request)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            steps.correct(request=tracked, description=form.cleaned_data["description"])
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("补正已提交，答复期限自今日起重新计算。"))
            return redirect("requests:status")
    return _status_page(request, tracked, correction_form=form, code=400)


@require_http_methods(["GET", "POST"])
@applicant_only
def fee(request, tracked):
    if request.method == "GET":
        return redirect("requests:status")
    form = FeeResponseForm(request.POST)
    if form.is_valid():
        try:
            steps.respond_to_fee(
                request=tracked,
                accept=form.cleaned_data["answer"] == "pay",
                reference=form.cleaned_data["reference"],
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("您的回复已收到。"))
            return redirect("requests:status")
    return _status_page(request, tracked, fee_form=form, code=400)


@require_http_methods(["GET", "POST"])
@applicant_only
def withdraw(request, tracked):
    if request.method == "GET":
        return redirect("requests:status")
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("请勾选确认后再撤回申请。"))
        return redirect("requests:status")
    try:
        steps.withdraw(request=tracked)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("requests:status")


@require_GET
@applicant_only
def letter(request, tracked, pk, fmt):
    found = get_object_or_404(applicant_letters(tracked), pk=pk)
    return letter_response(request, found, fmt)


@require_http_methods(["GET", "POST"])
def leave(request):
    if request.method == "POST":
        request.session.pop(ACCESS_KEY, None)
    return redirect("requests:track")
