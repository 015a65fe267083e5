"""What the public may see of an item, decided by its 公开方式 and 公开范围
(条例 Arts. 14-16, 19-20, 27), in one place: the workflow builds every public
record through :func:`record_status` and :func:`public_content`, and the
database refuses any other record (``record_public_only_when_proactive``).

- 主动公开, 面向社会: the whole record (page, listings, search, feeds, API,
  CSV, sitemap, attachments, department columns, subscriptions).
- 依申请公开, 面向社会: a metadata line only (title, publisher, index number,
  date) in the "available on request" list, when the office turns it on
  (``SiteSettings.lists_on_request``), pointing to the application; no body,
  no attachment, no page.
- 不予公开, or anything 面向申请人: nothing public at all. The item stays the
  office's record (its working copy, revisions and audit trail).

Every public surface reads only ``live`` (or ``withdrawn``) records, so a
record of any other status is on none of them; its text is not even kept.
"""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from disclosure.models import DisclosureMode, Item, PublicRecord, Scope

Status = PublicRecord.Status


def record_status(item) -> str:
    """The status a published revision of ``item`` gives its record."""
    if item.scope != Scope.PUBLIC:
        return Status.WITHHELD
    if item.disclosure_mode == DisclosureMode.PROACTIVE:
        return Status.LIVE
    if item.disclosure_mode == DisclosureMode.ON_REQUEST:
        return Status.ON_REQUEST
    return Status.WITHHELD


def is_fully_public(item) -> bool:
    return record_status(item) == Status.LIVE


def public_content(item) -> dict:
    """The content fields a record of ``item`` keeps: all of them for a
    public item, the metadata only (no body) otherwise."""
    content = {name: getattr(item, name) for name in Item.CONTENT_FIELDS}
    if not is_fully_public(item):
        content["body"] = ""
    return content


def needs_content(item) -> bool:
    """主动公开 information is published with its text or a file. 依申请公开
    and 不予公开 items are records of the office, which may keep the text
    elsewhere (a state secret must never be stored here: 保守国家秘密法)."""
    return item.disclosure_mode == DisclosureMode.PROACTIVE


def content_missing_message(item, has_attachment: bool) -> str:
    """The reason ``item`` may not be submitted, or ''."""
    if not needs_content(item) or has_attachment:
        return ""
    if strip_tags(item.body or "").replace("&nbsp;", "").strip():
        return ""
    return _("主动公开的信息须有正文或附件：请填写正文或上传附件后再提交审核。")
