"""The choices of an item's fields (and the validator of a video address),
apart from the models that use them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")


class DocumentClass(models.TextChoices):
    """What kind of legal document an item is, marked by the clerk (never
    guessed from its 体裁): table 二 of the annual report counts 规章 and
    行政规范性文件 from this mark."""

    OTHER = "", _("其他")
    RULES = "rules", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")


class ItemKind(models.TextChoices):
    """政策解读 is an item of its own kind, linked to the policy it explains
    (国办发〔2016〕80号); every other item is ordinary."""

    ORDINARY = "ordinary", _("普通信息")
    INTERPRETATION = "interpretation", _("政策解读")


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图文解读")
    VIDEO = "video", _("视频解读")
    QA = "qa", _("问答解读")


def validate_https_url(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("视频地址须以 https:// 开头。"), code="https")


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class Scope(models.TextChoices):
    PUBLIC = "public", _("面向社会")
    APPLICANT = "applicant", _("面向申请人")


class Ending(models.TextChoices):
    """How a published item ends (Art. 20(一) and DOMAIN.md): 撤回 takes it
    off the site (published by mistake, no longer to be public); 废止 and 失效
    end the document's effect, and its page stays with its 有效性."""

    TAKEN_DOWN = "taken_down", _("撤回（不再公开）")
    REPEALED = "repealed", _("废止（停止执行，页面保留）")
    EXPIRED = "expired", _("失效（停止执行，页面保留）")
