"""Staff pages after a consultation opens: the moderation queue, moderating
a comment, the feedback (draft, submit, return, publish) and the link to the
policy adopted in the end."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from disclosure.models import ConsultationComment
from disclosure.workflow import WorkflowError

from .. import feedback as steps
from .. import selectors
from ..staff_forms import FeedbackForm, LinkPolicyForm, ModerationForm, ReasonForm
from .staff_base import consultation_staff, office_staff, render_staff
from .staff_consultations import consultation_for, render_consultation


@require_GET
@office_staff
def comment_queue(request):
    comments = list(selectors.pending_comments())
    for comment in comments:
        comment.form = ModerationForm(auto_id=f"c{comment.pk}_%s")
    return render_staff(
        request,
        "disclosure/participation/staff/comment_queue.html",
        {"comments": comments},
        nav="consultations",
    )


@require_POST
@office_staff
def moderate(request, pk):
    comment = get_object_or_404(
        ConsultationComment.objects.select_related("consultation"), pk=pk
    )
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
    else:
        try:
            steps.moderate_comment(
                comment=comment,
                by=request.user,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                reply=form.cleaned_data["reply"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已审核。"))
    if request.POST.get("back") == "queue":
        return redirect("participation:staff-comments")
    return redirect(comment.consultation.get_staff_url() + "#comments")


@require_POST
@consultation_staff
def save_feedback(request, pk):
    consultation = consultation_for(request.user, pk)
    form = FeedbackForm(request.POST, instance=consultation)
    if form.is_valid():
        try:
            steps.save_feedback(
                consultation=consultation,
                by=request.user,
                data={name: form.cleaned_data[name] for name in steps.FEEDBACK_FIELDS},
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("反馈已保存。确认无误后提交审核。"))
            return redirect(consultation.get_staff_url() + "#feedback")
    return render_consultation(request, consultation, status=400, feedback_form=form)


def _step(request, pk, step, done, **kwargs):
    consultation = consultation_for(request.user, pk)
    try:
        step(consultation=consultation, by=request.user, **kwargs)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(consultation.get_staff_url() + "#feedback")


@require_POST
@consultation_staff
def submit_feedback(request, pk):
    return _step(request, pk, steps.submit_feedback, _("反馈已提交审核。"))


@require_POST
@consultation_staff
def publish_feedback(request, pk):
    return _step(
        request, pk, steps.publish_feedback, _("反馈已公布，征集页面可以看到。")
    )


@require_POST
@consultation_staff
def return_feedback(request, pk):
    consultation = consultation_for(request.user, pk)
    form = ReasonForm(request.POST, prefix="feedback")
    if form.is_valid():
        try:
            steps.return_feedback(
                consultation=consultation,
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("反馈已退回修改。"))
            return redirect(consultation.get_staff_url() + "#feedback")
    return render_consultation(
        request, consultation, status=400, feedback_return_form=form
    )


@require_POST
@consultation_staff
def link_policy(request, pk):
    consultation = consultation_for(request.user, pk)
    form = LinkPolicyForm(request.POST)
    if form.is_valid():
        try:
            steps.link_policy(
                consultation=consultation,
                by=request.user,
                index_number=form.cleaned_data["index_number"],
            )
        except WorkflowError as error:
            form.add_error("index_number", error.message)
        else:
            messages.success(request, _("已关联正式文件。"))
            return redirect(consultation.get_staff_url() + "#feedback")
    return render_consultation(request, consultation, status=400, link_form=form)
