"""Disclosure on request (依申请公开, Arts. 27-45 of the Regulations): the
register of applications, their pauses, letters and append-only history, and
the register of 行政复议 and 行政诉讼 cases about disclosure (Art. 51).

The models live in the core, not in ``disclosure/requests/``, because the
annual report (``oversight``) counts them and packages never import each
other. The rules are in ``disclosure/workflow/requests/`` (the steps),
``disclosure/request_clock.py`` (the statutory clock, pure),
``disclosure/request_fees.py`` (信息处理费, pure) and
``disclosure/request_tables.py`` (tables 三 and 四)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Department


class ApplicantKind(models.TextChoices):
    """The columns of annual-report table 三."""

    NATURAL = "natural", _("自然人")
    BUSINESS = "business", _("商业企业")
    RESEARCH = "research", _("科研机构")
    CHARITY = "charity", _("社会公益组织")
    LEGAL = "legal", _("法律服务机构")
    OTHER = "other", _("其他")


class ReplyType(models.TextChoices):
    """The results of Art. 36 exactly as the rows of table 三 list them (the
    values are the rows' keys)."""

    GRANTED = "granted", _("予以公开")
    PARTLY_GRANTED = "partly_granted", _("部分公开")
    REFUSED_SECRET = "refused_secret", _("不予公开：属于国家秘密")
    REFUSED_LAW = "refused_law", _("不予公开：其他法律行政法规禁止公开")
    REFUSED_SECURITY = "refused_security", _("不予公开：危及“三安全一稳定”")
    REFUSED_THIRD_PARTY = "refused_third_party", _("不予公开：保护第三方合法权益")
    REFUSED_INTERNAL = "refused_internal", _("不予公开：属于三类内部事务信息")
    REFUSED_PROCESS = "refused_process", _("不予公开：属于四类过程性信息")
    REFUSED_ENFORCEMENT = "refused_enforcement", _("不予公开：属于行政执法案卷")
    REFUSED_QUERY = "refused_query", _("不予公开：属于行政查询事项")
    UNABLE_NOT_HELD = "unable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNABLE_TO_MAKE = "unable_to_make", _("无法提供：没有现成信息需要另行制作")
    UNABLE_UNCLEAR = "unable_unclear", _("无法提供：补正后申请内容仍不明确")
    REJECTED_PETITION = "rejected_petition", _("不予处理：信访举报投诉类申请")
    REJECTED_REPEATED = "rejected_repeated", _("不予处理：重复申请")
    REJECTED_PUBLICATION = "rejected_publication", _("不予处理：要求提供公开出版物")
    REJECTED_EXCESSIVE = "rejected_excessive", _("不予处理：无正当理由大量反复申请")
    REJECTED_CONFIRMATION = (
        "rejected_confirmation",
        _("不予处理：要求行政机关确认或重新出具已获取信息"),
    )
    OTHER_NO_CORRECTION = (
        "other_no_correction",
        _("其他处理：申请人无正当理由逾期不补正"),
    )
    OTHER_NO_FEE = "other_no_fee", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER_OTHER = "other_other", _("其他处理：其他")


class Channel(models.TextChoices):
    """How an application reached the organ (Art. 31 decides its receipt
    date from this)."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    POST = "post", _("邮寄（需签收）")
    LETTER = "letter", _("平常信函")
    FAX = "fax", _("传真")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_TAIWAN = "hmt", _("港澳台居民证件")
    CREDIT_CODE = "credit_code", _("统一社会信用代码证书")
    OTHER = "other", _("其他证件")


class DeliveryForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子数据")
    OTHER = "other", _("其他")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("当面领取")
    ONLINE = "online", _("在线查阅下载")


class FeeMethod(models.TextChoices):
    BY_COUNT = "count", _("按件计收")
    BY_PAGES = "pages", _("按量计收")


class InformationRequest(models.Model):
    """One application for government information and its handling."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("已提交，待确认收到")
        PROCESSING = "processing", _("办理中")
        CORRECTION = "correction", _("待申请人补正")
        FEE = "fee", _("待缴纳信息处理费")
        REVIEW = "review", _("答复待审核")
        CLOSED = "closed", _("已办结")
        DISCARDED = "discarded", _("无效提交")

    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    access_code_hash = models.CharField(_("查询码摘要"), max_length=64, editable=False)
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    organ = models.ForeignKey(
        Department,
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_department = models.ForeignKey(
        Department,
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    # --- the applicant (personal data: see disclosure/request_permissions.py)
    applicant_kind = models.CharField(
        _("申请人类型"), max_length=20, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("姓名或者名称"), max_length=100)
    id_type = models.CharField(_("身份证明类型"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    id_erased_on = models.DateField(_("证件号码删除日期"), null=True, blank=True)
    representative = models.CharField(
        _("法定代表人或负责人"), max_length=50, blank=True
    )
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    # --- what is asked for (Art. 29 ¶2 (二), (三))
    description = models.TextField(_("所需政府信息的名称、文号或者其他特征性描述"))
    document_number = models.CharField(_("文件文号"), max_length=60, blank=True)
    delivery_form = models.CharField(
        _("提供信息的形式"), max_length=20, choices=DeliveryForm.choices
    )
    delivery_method = models.CharField(
        _("获取信息的方式"), max_length=20, choices=DeliveryMethod.choices
    )
    # --- dates of the clock (disclosure/request_clock.py)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    correction_requested_on = models.DateField(_("补正告知日期"), null=True, blank=True)
    correction_items = models.TextField(_("需要补正的事项"), blank=True)
    correction_due_on = models.DateField(_("补正期限"), null=True, blank=True)
    corrected_on = models.DateField(_("收到补正申请日期"), null=True, blank=True)
    corrected_description = models.TextField(_("补正后的申请内容"), blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("延期批准人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    extension_approved_on = models.DateField(_("延期批准日期"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    # --- 信息处理费 (国办函〔2020〕109号)
    fee_method = models.CharField(
        _("收费方式"), max_length=10, choices=FeeMethod.choices, blank=True
    )
    fee_pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    fee_amount = models.DecimalField(
        _("信息处理费（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_notified_on = models.DateField(_("收费通知日期"), null=True, blank=True)
    fee_due_on = models.DateField(_("缴费期限"), null=True, blank=True)
    fee_declined_on = models.DateField(_("申请人拒绝缴费日期"), null=True, blank=True)
    fee_paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    fee_reference = models.CharField(_("缴费凭证号"), max_length=60, blank=True)
    # --- the reply (Art. 36)
    reply_type = models.CharField(
        _("答复类型"), max_length=30, choices=ReplyType.choices, blank=True
    )
    reply_text = models.TextField(_("答复内容"), blank=True)
    reply_from_state = models.CharField(
        _("起草答复前的状态"), max_length=20, blank=True
    )
    reply_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复起草人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reply_return_comment = models.TextField(_("答复退回意见"), blank=True)
    reply_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.CharField(
        _("办理结果"), max_length=30, choices=ReplyType.choices, blank=True
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    discard_reason = models.TextField(_("无效原因"), blank=True)
    proactive_item = models.ForeignKey(
        "disclosure.Item",
        verbose_name=_("转为主动公开的信息"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(
                fields=["organ", "received_on"], name="request_organ_received"
            ),
            models.Index(fields=["organ", "closed_on"], name="request_organ_closed"),
            models.Index(fields=["state"], name="request_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "discarded"])
                | Q(received_on__isnull=False),
                name="request_received_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed")
                | (Q(closed_on__isnull=False) & ~Q(result="")),
                name="request_closed_has_result",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__lte=20), name="request_extension_max_20"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("requests_staff:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.CLOSED, self.State.DISCARDED)

    @property
    def handling_department_id(self):
        return self.assigned_department_id or self.organ_id
