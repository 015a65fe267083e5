"""The site's identity and the office's settings: one row, edited by the
disclosure office in the admin.

Every Chinese government site shows its government's name in the header and,
in the footer, the 主办单位, a contact, the 网站标识码 (国办发〔2017〕47号, the
site's code in the national register of government websites), the ICP备案号
(MIIT, linked to beian.miit.gov.cn) and the 公安机关备案号 (linked to
beian.mps.gov.cn). Saving the row bumps the publication generation
(``disclosure/publication.py``), so no cached page keeps the old footer.
"""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import DocumentType

SINGLETON_PK = 1

#: 浙ICP备12345678号, 京ICP证030173号-1
ICP_PATTERN = r"^[\u4e00-\u9fff]{1,3}ICP[备证]\d{4,12}号(-\d{1,3})?$"
#: 浙公网安备 33010602000001号 (the 14-digit record code is what the link needs)
PUBLIC_SECURITY_PATTERN = r"^[\u4e00-\u9fff]{1,3}公网安备\s?\d{14}号$"


def emblem_path(instance, filename):
    return f"site/emblem-{instance.emblem_sha256[:16]}.{instance.emblem_extension}"


class SiteSettings(models.Model):
    """网站设置: the one row of the site's identity (see the module's notes)."""

    government_name = models.CharField(
        _("政府名称"),
        max_length=100,
        blank=True,
        help_text=_("页头显示的机关名称，如：示例区人民政府。"),
    )
    site_name = models.CharField(
        _("网站名称"),
        max_length=100,
        blank=True,
        help_text=_("如：示例区人民政府信息公开专栏。为空时使用默认名称。"),
    )
    emblem = models.FileField(
        _("标志"), upload_to=emblem_path, max_length=200, blank=True, editable=False
    )
    emblem_sha256 = models.CharField(
        _("标志 SHA-256"), max_length=64, blank=True, editable=False
    )
    emblem_extension = models.CharField(
        _("标志文件类型"), max_length=10, blank=True, editable=False
    )
    sponsor = models.CharField(
        _("主办单位"),
        max_length=100,
        blank=True,
        help_text=_("如：示例区人民政府办公室。"),
    )
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    website_code = models.CharField(
        _("网站标识码"),
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9A-Za-z]{10}$", _("网站标识码为10位字母或数字。"))
        ],
        help_text=_("全国政府网站基本信息数据库分配的10位代码。"),
    )
    icp_number = models.CharField(
        _("ICP备案号"),
        max_length=60,
        blank=True,
        validators=[
            RegexValidator(ICP_PATTERN, _("ICP备案号的格式如：浙ICP备12345678号-1。"))
        ],
    )
    public_security_number = models.CharField(
        _("公安机关备案号"),
        max_length=60,
        blank=True,
        validators=[
            RegexValidator(
                PUBLIC_SECURITY_PATTERN,
                _("公安机关备案号的格式如：浙公网安备 33010602000001号。"),
            )
        ],
    )
    interpretation_types = models.ManyToManyField(
        DocumentType,
        verbose_name=_("须配发政策解读的体裁"),
        blank=True,
        related_name="+",
        help_text=_(
            "这些体裁的信息发布后，监督页面列出没有配发解读或解读晚于文件发布的情况"
            "（国办发〔2016〕80号）。"
        ),
    )
    lists_on_request = models.BooleanField(
        _("公开依申请公开信息目录"),
        default=False,
        help_text=_(
            "开启后，公众可以看到依申请公开信息的目录（标题、发布机构、索引号、"
            "日期）和申请方式，但看不到正文和附件。"
        ),
    )
    shows_element_toc = models.BooleanField(
        _("信息页显示公开要素目录"),
        default=False,
        help_text=_(
            "开启后，公开信息页面在正文前列出该事项的公开要素，"
            "链接到正文中体现各要素的章节，便于公众查找办理时限等内容。"
        ),
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网站设置")
        verbose_name_plural = _("网站设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=SINGLETON_PK), name="site_settings_single_row"
            ),
        ]

    def __str__(self):
        return str(_("网站设置"))

    def save(self, *args, **kwargs):
        self.pk = SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SiteSettings":
        row, _created = cls.objects.get_or_create(pk=SINGLETON_PK)
        return row

    @property
    def public_security_code(self) -> str:
        """The 14-digit record code of the 公安机关备案号 (for its link)."""
        match = re.search(r"\d{14}", self.public_security_number)
        return match.group(0) if match else ""
