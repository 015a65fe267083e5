"""The trail of public participation: every step on a consultation, a
comment or a complaint, by whom and when. Append-only like the items' audit
trail (the model refuses changes, the admin is read-only and, on PostgreSQL,
a trigger rejects UPDATE and DELETE: migration 0014)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.append_only import AuditTrail, action_field, actor_field, at_field

from .complaints import Complaint
from .consultations import Consultation, ConsultationComment


class ParticipationEntry(AuditTrail):
    """One step (公众参与操作记录)."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建意见征集")
        EDIT = "edit", _("修改意见征集")
        ATTACH = "attach", _("上传附件")
        DETACH = "detach", _("删除附件")
        SUBMIT = "submit", _("提交审核")
        RETURN = "return", _("退回修改")
        PUBLISH = "publish", _("发布意见征集")
        COMMENT = "comment", _("收到意见")
        MODERATE = "moderate", _("审核意见")
        FEEDBACK_EDIT = "feedback_edit", _("起草反馈")
        FEEDBACK_SUBMIT = "feedback_submit", _("提交反馈审核")
        FEEDBACK_RETURN = "feedback_return", _("退回反馈")
        FEEDBACK_PUBLISH = "feedback_publish", _("公布反馈")
        LINK_POLICY = "link_policy", _("关联正式文件")
        COMPLAINT_RECEIVED = "complaint_received", _("收到投诉举报")
        COMPLAINT_ACCEPTED = "complaint_accepted", _("受理投诉举报")
        COMPLAINT_CONCLUDED = "complaint_concluded", _("办结投诉举报")

    at = at_field()
    actor = actor_field(
        null=True, blank=True, help_text=_("为空表示公众通过网站提交。")
    )
    action = action_field(Action.choices, max_length=30)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("意见征集"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trail",
    )
    comment = models.ForeignKey(
        ConsultationComment,
        verbose_name=_("征集意见"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trail",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("投诉举报"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trail",
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta(AuditTrail.Meta):
        verbose_name = _("公众参与操作记录")
        verbose_name_plural = _("公众参与操作记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation__isnull=False) | Q(complaint__isnull=False),
                name="participation_entry_has_subject",
            ),
        ]
