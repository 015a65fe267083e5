"""Public pages of e-mail subscriptions (/subscriptions/): subscribe to any
listing's query, confirm, unsubscribe (one click, also RFC 8058's POST from
mail programs), and manage an address's subscriptions from a signed link."""

from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from disclosure.models import Subscription
from portal import ratelimit

from .. import subscriptions
from ..forms import FrequencyForm, ManageLinkForm, SubscribeForm
from ..http import cache_headers, no_store
from ..queries import PARAMS, parse_query

LIMIT, WINDOW = 10, 600


@require_http_methods(["GET", "POST"])
@cache_headers
def subscribe(request):
    """``/subscriptions/?department=…&q=…``: what the listing shows, by e-mail."""
    if request.method == "POST":
        refused = ratelimit.limit_for("subscribe", request, limit=LIMIT, window=WINDOW)
        if refused is not None:
            return refused
        form = SubscribeForm(request.POST)
        if form.is_spam:
            return redirect("participation:subscription-sent")
        if form.is_valid():
            subscriptions.request_subscription(
                email=form.cleaned_data["email"],
                query=parse_query(form.cleaned_data),
                frequency=form.cleaned_data["frequency"],
            )
            return redirect("participation:subscription-sent")
        query = parse_query(request.POST)
    else:
        query = parse_query(request.GET)
        form = SubscribeForm(initial=_params(query))
    return render(
        request,
        "disclosure/participation/subscribe.html",
        {"form": form, "query": query},
        status=400 if form.errors else 200,
    )


def _params(query) -> dict:
    found = QueryDict(query.query_string)
    return {name: found.get(name, "") for name in PARAMS}


@require_GET
@cache_headers
def subscription_sent(request):
    return render(request, "disclosure/participation/subscribe_sent.html")


def _bad_link(request):
    return render(
        request,
        "disclosure/participation/subscription_bad_link.html",
        status=404,
    )


@require_http_methods(["GET", "POST"])
@no_store
def confirm(request, token):
    """The link in the confirmation mail shows a button: a mail scanner that
    follows links confirms nothing."""
    try:
        subscription = subscriptions.subscription_for(token, "c")
    except subscriptions.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        subscription = subscriptions.confirm(subscription)
    return render(
        request,
        "disclosure/participation/subscription_confirm.html",
        {
            "subscription": subscription,
            "done": request.method == "POST",
            "manage_url": subscriptions.manage_url(subscription.email),
        },
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@no_store
def unsubscribe(request, token):
    """GET: a page with one button; POST (the button, or a mail program's
    ``List-Unsubscribe=One-Click``): unsubscribed. The signed token is what
    authorises it, so no CSRF token is needed (mail programs have none)."""
    try:
        subscription = subscriptions.subscription_for(token, "u")
    except subscriptions.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        subscription = subscriptions.unsubscribe(subscription)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("已退订。"), content_type="text/plain; charset=utf-8")
    return render(
        request,
        "disclosure/participation/subscription_unsubscribe.html",
        {
            "subscription": subscription,
            "token": token,
            "done": request.method == "POST",
        },
    )


@require_http_methods(["GET", "POST"])
@cache_headers
def manage_link(request):
    """Ask for the management link by e-mail."""
    sent = False
    if request.method == "POST":
        refused = ratelimit.limit_for(
            "subscription-link", request, limit=LIMIT, window=WINDOW
        )
        if refused is not None:
            return refused
        form = ManageLinkForm(request.POST)
        if form.is_valid() and not form.is_spam:
            subscriptions.send_manage_link(form.cleaned_data["email"])
        sent = form.is_valid() or form.is_spam
    else:
        form = ManageLinkForm()
    return render(
        request,
        "disclosure/participation/manage_link.html",
        {"form": form, "sent": sent},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@no_store
def manage(request, token):
    try:
        email = subscriptions.email_for(token)
    except subscriptions.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        key = request.POST.get("key", "")
        if request.POST.get("action") == "unsubscribe":
            found = Subscription.objects.filter(email=email, key=key).first()
            if found is not None:
                subscriptions.unsubscribe(found)
        else:
            form = FrequencyForm(request.POST)
            if form.is_valid():
                subscriptions.change_frequency(
                    email=email,
                    key=form.cleaned_data["key"],
                    frequency=form.cleaned_data["frequency"],
                )
        return redirect(
            reverse("participation:subscription-manage", args=[token]) + "?saved=1"
        )
    rows = list(
        Subscription.objects.filter(email=email, unsubscribed_at__isnull=True).order_by(
            "pk"
        )
    )
    for row in rows:
        row.form = FrequencyForm(
            initial={"key": row.key, "frequency": row.frequency},
            auto_id=f"s{row.pk}_%s",
        )
    return render(
        request,
        "disclosure/participation/subscription_manage.html",
        {"email": email, "rows": rows, "saved": request.GET.get("saved") == "1"},
    )
