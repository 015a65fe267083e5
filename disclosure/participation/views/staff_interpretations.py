"""Publishing a policy together with its interpretations (同步发布,
国办发〔2016〕80号): the reviewers' list of approved policies that have approved
interpretations, and the page that publishes them as one action."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from disclosure import permissions, workflow
from disclosure.interpretations import interpretations_awaiting_publication
from disclosure.models import Item, ItemKind

from ..staff_forms import PublishTogetherForm
from .staff_base import render_staff, reviewers


@require_http_methods(["GET"])
@reviewers
def overview(request):
    waiting = Item.objects.filter(
        kind=ItemKind.INTERPRETATION,
        interprets=OuterRef("pk"),
        state=Item.State.APPROVED,
    )
    policies = list(
        Item.objects.filter(kind=ItemKind.ORDINARY, state=Item.State.APPROVED)
        .filter(Exists(waiting))
        .select_related("department")
        .order_by("pk")
    )
    return render_staff(
        request,
        "disclosure/participation/staff/interpretations.html",
        {"policies": policies},
        nav="review",
    )


@require_http_methods(["GET", "POST"])
@reviewers
def publish_together(request, pk):
    policy = get_object_or_404(Item.objects.select_related("department"), pk=pk)
    if policy.kind == ItemKind.INTERPRETATION:
        if policy.interprets_id is None:
            raise Http404
        return redirect("participation:publish-together", pk=policy.interprets_id)
    choices = interpretations_awaiting_publication(policy)
    form = PublishTogetherForm(
        request.POST or None,
        choices=choices,
        initial={"interpretations": list(choices)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.publish_together(
                policy=policy,
                interpretations=list(form.cleaned_data["interpretations"]),
                by=request.user,
                at=form.cleaned_data.get("publish_at"),
            )
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            at = form.cleaned_data.get("publish_at")
            messages.success(
                request,
                _("政策和解读已同步发布。")
                if at is None
                else _("政策和解读将于 %(at)s 同步公开。")
                % {"at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")},
            )
            return redirect(policy.get_absolute_url())
    return render_staff(
        request,
        "disclosure/participation/staff/publish_together.html",
        {
            "policy": policy,
            "form": form,
            "has_choices": choices.exists(),
            "can_publish_policy": permissions.can_publish(request.user, policy),
        },
        nav="review",
        status=400 if form.errors else 200,
    )
