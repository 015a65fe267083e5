"""Where an item answers each content element (公开内容（要素）) of its catalog
entry: a section of the body, an attachment, or not applicable with a reason
(the checklist of ``disclosure/elements.py``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.elements import NAME_MAX_LENGTH

from .items import Item
from .records import Attachment


class ElementAnswer(models.Model):
    """The clerk's answer for one element of the item's catalog entry, by the
    element's name (an answer outlives a change of the catalogue's text)."""

    class Kind(models.TextChoices):
        SECTION = "section", _("正文章节")
        ATTACHMENT = "attachment", _("附件")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    item = models.ForeignKey(
        Item,
        verbose_name=_("信息"),
        on_delete=models.CASCADE,
        related_name="element_answers",
    )
    element_name = models.CharField(_("要素名称"), max_length=NAME_MAX_LENGTH)
    kind = models.CharField(_("体现位置"), max_length=20, choices=Kind.choices)
    section = models.CharField(_("正文章节"), max_length=200, blank=True)
    attachment = models.ForeignKey(
        Attachment,
        verbose_name=_("附件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("不适用的理由"), max_length=200, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标注人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("标注时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公开要素标注")
        verbose_name_plural = _("公开要素标注")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "element_name"], name="unique_answer_per_element"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="section", attachment__isnull=True) & ~Q(section="")
                    | Q(kind="attachment", attachment__isnull=False, section="")
                    | Q(kind="not_applicable", attachment__isnull=True, section="")
                    & ~Q(reason="")
                ),
                name="element_answer_complete",
            ),
        ]

    def __str__(self):
        return f"{self.element_name}: {self.get_kind_display()}"
