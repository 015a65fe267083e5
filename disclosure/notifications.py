"""E-mail to the right people at each step. Called through
``transaction.on_commit`` by the workflow, so nothing is sent for a step that
rolled back."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Membership

from .models import Item
from .permissions import REVIEWER_GROUP, STAGE_HEAD, contributors
from .site_address import base_url


def _site_url(path: str) -> str:
    return base_url() + path


def _addresses(users) -> list[str]:
    return sorted({user.email for user in users if user.email and user.is_active})


def _stage_reviewers(item: Item):
    """Who may act at the item's current stage: the heads of its department
    (an office's items are signed off by the heads of the department above
    it, as in ``permissions.Roles``), or the disclosure office's reviewers;
    never those who touched the revision under review, who may not review
    it."""
    user_model = get_user_model()
    if item.review_stage == STAGE_HEAD:
        departments = {item.department_id, item.department.parent_id} - {None}
        users = user_model.objects.filter(
            memberships__department_id__in=departments,
            memberships__role=Membership.Role.HEAD,
        )
    else:
        users = user_model.objects.filter(groups__name=REVIEWER_GROUP)
    return users.exclude(pk__in=list(contributors(item))).distinct()


def _authors(item: Item):
    user_model = get_user_model()
    ids = {item.created_by_id, item.updated_by_id, item.submitted_by_id} - {None}
    return user_model.objects.filter(pk__in=ids)


def _send(subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients],
        fail_silently=True,
    )


def item_submitted(item_id: int) -> None:
    item = Item.objects.select_related("department").get(pk=item_id)
    url = _site_url(reverse("workspace:review", args=[item.pk]))
    _send(
        _("【待审核】%(title)s") % {"title": item.title},
        _("%(dept)s 提交了一条信息等待您审核：\n\n%(title)s\n\n审核：%(url)s\n")
        % {"dept": item.department.name, "title": item.title, "url": url},
        _addresses(_stage_reviewers(item)),
    )


def item_returned(item_id: int, comment: str) -> None:
    item = Item.objects.get(pk=item_id)
    url = _site_url(reverse("workspace:item", args=[item.pk]))
    _send(
        _("【已退回】%(title)s") % {"title": item.title},
        _(
            "您提交的信息被退回修改：\n\n%(title)s\n\n退回意见：%(comment)s\n\n修改：%(url)s\n"
        )
        % {"title": item.title, "comment": comment, "url": url},
        _addresses(_authors(item)),
    )


def item_approved(item_id: int) -> None:
    item = Item.objects.get(pk=item_id)
    url = _site_url(reverse("workspace:item", args=[item.pk]))
    if item.state == Item.State.SUBMITTED:
        # Passed one stage; the next stage's reviewers are asked.
        item_submitted(item_id)
        return
    _send(
        _("【审核通过】%(title)s") % {"title": item.title},
        _("您提交的信息已审核通过，等待发布：\n\n%(title)s\n\n%(url)s\n")
        % {"title": item.title, "url": url},
        _addresses(_authors(item)),
    )


def item_published(item_id: int) -> None:
    item = Item.objects.get(pk=item_id)
    url = _site_url(reverse("disclosure:item", args=[item.pk]))
    _send(
        _("【已发布】%(title)s") % {"title": item.title},
        _(
            "信息已发布（定时发布的，到时自动公开）：\n\n%(title)s\n索引号：%(index)s\n"
            "发布时间：%(at)s\n\n%(url)s\n"
        )
        % {
            "title": item.title,
            "index": item.index_number,
            "at": timezone.localtime(item.publish_at).strftime("%Y-%m-%d %H:%M"),
            "url": url,
        },
        _addresses(_authors(item)),
    )
