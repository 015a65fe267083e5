"""A request's page (/workspace/requests/<id>/) with its clock, trail and
letters, and one small POST view per step. Every view of the page shows the
applicant's data and is written to the request's trail."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from catalog.selectors import work_calendar
from disclosure import request_letters
from disclosure import request_permissions as perms
from disclosure.models import RequestEvent, RequestPause
from disclosure.request_queries import clock_of
from disclosure.workflow import WorkflowError
from disclosure.workflow import requests as steps

from .. import selectors
from .. import staff_forms as f
from .common import letter_response, register_required, render_staff


def _run_consulted(target, user, data):
    pause = get_object_or_404(
        RequestPause.objects.filter(request=target), pk=data["pause"]
    )
    return steps.end_consultation(
        pause=pause, by=user, answer=data["answer"], answered_on=data["answered_on"]
    )


#: step → (form, what it does, the message when done)
STEPS = {
    "confirm": (
        f.ConfirmForm,
        lambda r, u, d: steps.confirm_receipt(
            request=r, by=u, received_on=d["received_on"]
        ),
        gettext_lazy("已确认收到申请，答复期限开始计算。"),
    ),
    "discard": (
        f.ReasonForm,
        lambda r, u, d: steps.discard(request=r, by=u, reason=d["reason"]),
        gettext_lazy("已认定为无效提交。"),
    ),
    "assign": (
        f.AssignForm,
        lambda r, u, d: steps.assign(request=r, by=u, department=d["department"]),
        gettext_lazy("已交办。"),
    ),
    "correction": (
        f.CorrectionNoticeForm,
        lambda r, u, d: steps.request_correction(
            request=r, by=u, items=d["items"], period=d["period"]
        ),
        gettext_lazy("补正告知书已发出。"),
    ),
    "corrected": (
        f.RecordCorrectionForm,
        lambda r, u, d: steps.correct(
            request=r, by=u, description=d["description"], received_on=d["received_on"]
        ),
        gettext_lazy("已登记补正，答复期限重新计算。"),
    ),
    "consult": (
        f.ConsultForm,
        lambda r, u, d: steps.start_consultation(
            request=r, by=u, kind=d["kind"], party=d["party"]
        ),
        gettext_lazy("已登记征求意见，期间不计入答复期限。"),
    ),
    "consulted": (
        f.ConsultEndForm,
        _run_consulted,
        gettext_lazy("已登记意见，答复期限继续计算。"),
    ),
    "extend": (
        f.ExtensionForm,
        lambda r, u, d: steps.extend(
            request=r, by=u, days=d["days"], reason=d["reason"]
        ),
        gettext_lazy("已批准延期，延期答复告知书已发出。"),
    ),
    "fee": (
        f.FeeNoticeForm,
        lambda r, u, d: steps.issue_fee_notice(
            request=r, by=u, method=d["method"], pages=d["pages"]
        ),
        gettext_lazy("收费通知书已发出，缴费期间不计入答复期限。"),
    ),
    "paid": (
        f.PaymentForm,
        lambda r, u, d: steps.confirm_payment(request=r, by=u, paid_on=d["paid_on"]),
        gettext_lazy("已确认缴费，答复期限继续计算。"),
    ),
    "reply": (
        f.ReplyForm,
        lambda r, u, d: steps.draft_reply(
            request=r, by=u, reply_type=d["reply_type"], text=d["text"]
        ),
        gettext_lazy("答复已提交审核。"),
    ),
    "return": (
        f.ReturnForm,
        lambda r, u, d: steps.return_reply(request=r, by=u, comment=d["comment"]),
        gettext_lazy("答复已退回起草人。"),
    ),
    "send": (
        None,
        lambda r, u, d: steps.send_reply(request=r, by=u),
        gettext_lazy("答复已审核并发出，申请已办结。"),
    ),
    "withdraw": (
        f.ReasonForm,
        lambda r, u, d: steps.withdraw(request=r, by=u, reason=d["reason"]),
        gettext_lazy("已登记申请人撤回申请。"),
    ),
    "proactive": (
        f.ProactiveForm,
        lambda r, u, d: steps.make_proactive(
            request=r, by=u, title=d["title"], topic=d["topic"], body=d["body"]
        ),
        gettext_lazy("已转为主动公开的信息草稿，请在信息列表中完善后提交审核。"),
    ),
}


def _visible(request, pk):
    target = get_object_or_404(perms.visible_requests(request.user), pk=pk)
    return selectors.request_detail(target.pk)


def _forms(target, bound=None) -> dict:
    forms = {}
    for name, (form_class, _run, _done) in STEPS.items():
        if form_class is None:
            continue
        initial = {}
        if name == "proactive":
            text = " ".join(target.description.split())
            initial = {"title": text[:60], "body": ""}
        forms[name] = form_class(initial=initial, prefix=name)
    if bound is not None:
        forms[bound.prefix] = bound
    return forms


def _page(request, target, *, bound=None, status=200):
    RequestEvent.objects.create(
        request=target,
        actor=request.user,
        at=timezone.now(),
        action=RequestEvent.Action.VIEW_PERSONAL,
        to_state=target.state,
    )
    today = timezone.localdate()
    draft = None
    if target.reply_type and target.state == target.State.REVIEW:
        draft = request_letters.reply_letter(
            target, number=_("（发出时编号）"), issued_on=today
        )
    return render_staff(
        request,
        "disclosure/requests/staff/detail.html",
        {
            "target": target,
            "clock": clock_of(target, today, work_calendar()),
            "flags": perms.request_flags(request.user, target),
            "forms": _forms(target, bound),
            "open_pauses": [
                p for p in target.pauses.all() if p.ended_on is None and p.kind != "fee"
            ],
            "draft": draft,
        },
        status=status,
    )


@require_GET
@register_required
def detail(request, pk):
    return _page(request, _visible(request, pk))


@require_POST
@register_required
def step(request, pk, name):
    if name not in STEPS:
        raise Http404
    target = _visible(request, pk)
    form_class, run, done = STEPS[name]
    form = form_class(request.POST, prefix=name) if form_class else None
    if form is not None and not form.is_valid():
        return _page(request, target, bound=form, status=400)
    try:
        result = run(target, request.user, form.cleaned_data if form else {})
    except WorkflowError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect("requests_staff:detail", pk=target.pk)
        form.add_error(None, error.message)
        return _page(request, target, bound=form, status=400)
    messages.success(request, str(done))
    if name == "proactive":
        return redirect(result.get_absolute_url())
    return redirect("requests_staff:detail", pk=target.pk)


@require_GET
@register_required
def letter(request, pk, letter_pk, fmt):
    target = _visible(request, pk)
    found = get_object_or_404(target.letters.all(), pk=letter_pk)
    # A letter names its addressee: a view of applicant data.
    RequestEvent.objects.create(
        request=target,
        actor=request.user,
        at=timezone.now(),
        action=RequestEvent.Action.VIEW_PERSONAL,
        to_state=target.state,
        comment=found.number,
    )
    return letter_response(request, found, fmt)
