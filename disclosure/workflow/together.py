"""Publishing a policy and its interpretations together (同步发布).

国办发〔2016〕80号 asks that a policy document and its interpretation be
prepared, approved and published together. Each was reviewed on its own
(with the second pair of eyes); this step publishes them as one action: all
of them, or none, in one transaction, by a reviewer who may publish every one
of them (someone who created, edited or submitted any of them may not).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from disclosure import permissions
from disclosure.models import Item, ItemKind

from .review import publish
from .transitions import InvalidTransition, NotAllowed, WorkflowError

State = Item.State


def publish_together(
    *,
    policy: Item,
    interpretations: list[Item],
    by,
    at: datetime.datetime | None = None,
) -> list[Item]:
    """Publish ``policy`` and ``interpretations`` (of that policy) now, or all
    at ``at``. Returns them published, the policy first."""
    if not interpretations:
        raise WorkflowError(_("请至少选择一份与政策同步发布的解读。"))
    with transaction.atomic():
        ids = sorted({policy.pk, *(item.pk for item in interpretations)})
        # Locked in one order, so two reviewers publishing overlapping sets
        # wait for each other instead of deadlocking.
        locked = {
            item.pk: item
            for item in Item.objects.select_for_update(of=("self",))
            .select_related("department")
            .filter(pk__in=ids)
            .order_by("pk")
        }
        policy = locked[policy.pk]
        chosen = [locked[item.pk] for item in interpretations]
        _check_pair(policy, chosen)
        refused = [
            item.title
            for item in [policy, *chosen]
            if not permissions.can_publish(by, item)
        ]
        if refused:
            raise NotAllowed(
                _(
                    "您不能发布：%(titles)s。只有审核员可以发布，且不能发布自己创建、"
                    "修改或提交的信息；同步发布须对政策和解读都有发布权限。"
                )
                % {"titles": "、".join(f"《{title}》" for title in refused)}
            )
        note = _("政策与解读同步发布（国办发〔2016〕80号）：%(titles)s。") % {
            "titles": "、".join(f"《{item.title}》" for item in [policy, *chosen])
        }
        published = [publish(item=policy, by=by, at=at, note=note)]
        published += [publish(item=item, by=by, at=at, note=note) for item in chosen]
    return published


def _check_pair(policy: Item, interpretations: list[Item]) -> None:
    if policy.kind == ItemKind.INTERPRETATION:
        raise InvalidTransition(_("所选的政策本身是一份解读。"))
    for item in interpretations:
        if item.kind != ItemKind.INTERPRETATION or item.interprets_id != policy.pk:
            raise InvalidTransition(
                _("《%(title)s》不是这份政策的解读，不能同步发布。")
                % {"title": item.title}
            )
    for item in [policy, *interpretations]:
        if item.state != State.APPROVED:
            raise InvalidTransition(
                _(
                    "《%(title)s》当前状态为“%(state)s”；同步发布时政策和解读都须已审核通过、"
                    "尚未发布。"
                )
                % {"title": item.title, "state": item.get_state_display()}
            )
