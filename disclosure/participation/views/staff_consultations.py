"""Staff pages of consultations (/workspace/consultations/): the list, the
editor, files, and the steps submit, return and publish."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from disclosure.models import Consultation, ConsultationAttachment
from disclosure.uploads import check_upload
from disclosure.workflow import WorkflowError

from .. import consultations as steps
from .. import rules, selectors
from ..staff_forms import (
    ConsultationForm,
    FeedbackForm,
    LinkPolicyForm,
    ModerationForm,
    ReasonForm,
)
from .staff_base import consultation_staff, render_staff


def consultation_for(user, pk) -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("department", "adopted_policy"), pk=pk
    )
    if not rules.can_view(user, consultation):
        raise Http404
    return consultation


@require_GET
@consultation_staff
def consultation_list(request):
    return render_staff(
        request,
        "disclosure/participation/staff/consultation_list.html",
        {
            "consultations": list(selectors.staff_consultations(request.user)),
            "can_create": selectors.draftable_departments(request.user).exists(),
            "can_moderate": rules.can_moderate(request.user),
            "pending_count": selectors.pending_comments().count()
            if rules.can_moderate(request.user)
            else 0,
        },
        nav="consultations",
    )


@require_http_methods(["GET", "POST"])
@consultation_staff
def consultation_edit(request, pk=None):
    consultation = consultation_for(request.user, pk) if pk else None
    if consultation is not None and not rules.can_edit(request.user, consultation):
        messages.error(request, _("只有草稿状态的意见征集可以修改。"))
        return redirect(consultation.get_staff_url())
    departments = selectors.draftable_departments(request.user)
    form = ConsultationForm(
        request.POST or None, instance=consultation, departments=departments
    )
    if request.method == "POST" and form.is_valid():
        try:
            if consultation is None:
                consultation = steps.create_consultation(
                    by=request.user, data=form.data_for_step()
                )
            else:
                consultation = steps.update_consultation(
                    consultation=consultation,
                    by=request.user,
                    data=form.data_for_step(),
                )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存。可以上传附件，确认无误后提交审核。"))
            return redirect(consultation.get_staff_url())
    return render_staff(
        request,
        "disclosure/participation/staff/consultation_form.html",
        {"form": form, "consultation": consultation},
        nav="consultations",
        status=400 if form.errors else 200,
    )


def render_consultation(request, consultation, status=200, **forms):
    consultation = consultation_for(request.user, consultation.pk)
    return render_staff(
        request,
        "disclosure/participation/staff/consultation_detail.html",
        {
            "consultation": consultation,
            "flags": rules.consultation_flags(request.user, consultation),
            "phase": consultation.phase(),
            "files": list(consultation.attachments.all()),
            "comments": list(
                consultation.comments.select_related("moderated_by").order_by(
                    "submitted_at", "pk"
                )
            ),
            "received": consultation.comments.filter(
                state__in=["published", "hidden"]
            ).count()
            + consultation.offline_comment_count,
            "trail": list(consultation.trail.select_related("actor")),
            "return_form": forms.get("return_form") or ReasonForm(),
            "feedback_form": forms.get("feedback_form")
            or FeedbackForm(instance=consultation),
            "feedback_return_form": forms.get("feedback_return_form")
            or ReasonForm(prefix="feedback"),
            "link_form": forms.get("link_form") or LinkPolicyForm(),
            "moderation_form": ModerationForm(),
        },
        nav="consultations",
        status=status,
    )


@require_GET
@consultation_staff
def consultation_detail(request, pk):
    return render_consultation(request, consultation_for(request.user, pk))


@require_POST
@consultation_staff
def upload_files(request, pk):
    consultation = consultation_for(request.user, pk)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, _("请选择要上传的文件。"))
    for uploaded in files:
        try:
            steps.add_attachment(
                consultation=consultation,
                by=request.user,
                uploaded=uploaded,
                checked=check_upload(uploaded),
            )
        except ValidationError as error:
            messages.error(
                request,
                _("未上传 %(name)s：%(reason)s")
                % {"name": uploaded.name, "reason": " ".join(error.messages)},
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已上传：%(name)s。") % {"name": uploaded.name})
    return redirect(consultation.get_staff_url() + "#files")


def _attachment(request, pk, token) -> ConsultationAttachment:
    consultation = consultation_for(request.user, pk)
    return get_object_or_404(
        ConsultationAttachment.objects.select_related("consultation"),
        consultation=consultation,
        token=token,
    )


@require_POST
@consultation_staff
def remove_file(request, pk, token):
    attachment = _attachment(request, pk, token)
    try:
        steps.remove_attachment(attachment=attachment, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除附件。"))
    return redirect(attachment.consultation.get_staff_url() + "#files")


@require_GET
@consultation_staff
def download_file(request, pk, token):
    attachment = _attachment(request, pk, token)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _step(request, pk, step, done, **kwargs):
    consultation = consultation_for(request.user, pk)
    try:
        step(consultation=consultation, by=request.user, **kwargs)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(consultation.get_staff_url())


@require_POST
@consultation_staff
def submit(request, pk):
    return _step(
        request,
        pk,
        steps.submit_consultation,
        _("已提交政务公开办公室审核。"),
    )


@require_POST
@consultation_staff
def publish(request, pk):
    return _step(
        request,
        pk,
        steps.publish_consultation,
        _("已发布。征集期内公众可以在线提交意见。"),
    )


@require_POST
@consultation_staff
def return_consultation(request, pk):
    consultation = consultation_for(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            steps.return_consultation(
                consultation=consultation,
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已退回修改。"))
            return redirect(consultation.get_staff_url())
    return render_consultation(request, consultation, status=400, return_form=form)
