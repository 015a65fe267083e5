"""Who may do what with disclosure items: one place to read.

Predicates take a user and an item and return a bool. Views, templates (as
context flags) and the workflow call the same functions.

Roles:
- clerk (信息员): a ``Membership`` with role ``clerk`` in a department; acts for
  that department and the offices under it.
- department head (部门负责人): ``Membership`` role ``head``; signs off the
  department's items where its review config asks for it.
- reviewer (审核员, disclosure office): member of the ``reviewer`` group;
  reviews (including the confidentiality review) and publishes.
- office administrator (公开办管理员): member of the ``office_admin`` group;
  withdraws and removes published items, exports the audit log.

Second pair of eyes: whoever touched the content of the revision under review
(created the item, edited it, added or removed an attachment, submitted it:
everything since its last publication) neither signs it off, approves, returns
nor publishes it, superusers included. The workflow records each touch in the
same transaction (``Contribution``); :func:`contributors` reads them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.models import Department, Membership

from .models import AuditEntry, Contribution, Item

REVIEWER_GROUP = "reviewer"
OFFICE_ADMIN_GROUP = "office_admin"
AUDITOR_GROUP = "auditor"

STAGE_HEAD = "head"
STAGE_OFFICE = "office"
STAGE_LABELS = {
    STAGE_HEAD: gettext_noop("部门负责人签批"),
    STAGE_OFFICE: gettext_noop("政务公开办公室审核"),
}

EDITABLE_STATES = {Item.State.DRAFT, Item.State.RETURNED, Item.State.PUBLISHED}
SUBMITTABLE_STATES = {Item.State.DRAFT, Item.State.RETURNED}


class Roles:
    """A user's roles, read once per request (cached on the user object)."""

    def __init__(self, user):
        self.user = user
        self.authenticated = bool(user and user.is_authenticated and user.is_active)
        if not self.authenticated:
            self.clerk_of, self.head_of, self.groups = frozenset(), frozenset(), set()
            return
        memberships = list(
            Membership.objects.filter(user=user).values_list("department_id", "role")
        )
        clerk = {dept for dept, role in memberships if role == Membership.Role.CLERK}
        head = {dept for dept, role in memberships if role == Membership.Role.HEAD}
        # A department's offices are covered by its clerks and heads.
        children = dict(
            Department.objects.filter(parent_id__in=clerk | head).values_list(
                "pk", "parent_id"
            )
        )
        for child, parent in children.items():
            if parent in clerk:
                clerk.add(child)
            if parent in head:
                head.add(child)
        self.clerk_of = frozenset(clerk)
        self.head_of = frozenset(head)
        self.groups = set(user.groups.values_list("name", flat=True))

    @property
    def is_reviewer(self) -> bool:
        return REVIEWER_GROUP in self.groups

    @property
    def is_office_admin(self) -> bool:
        return OFFICE_ADMIN_GROUP in self.groups

    @property
    def is_office_staff(self) -> bool:
        return self.is_reviewer or self.is_office_admin

    @property
    def is_auditor(self) -> bool:
        """Read-only access to the audit trail (separated duties)."""
        return AUDITOR_GROUP in self.groups

    @property
    def is_staff_member(self) -> bool:
        return bool(self.clerk_of or self.head_of or self.is_office_staff)


def roles(user) -> Roles:
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = Roles(user)
        if user is not None and user.is_authenticated:
            user._portal_roles = cached
    return cached


def forget_roles(user) -> None:
    user.__dict__.pop("_portal_roles", None)


# --- visibility ---------------------------------------------------------------


def visible_items(user, queryset=None):
    """The items a user may see in the workspace; others answer 404."""
    queryset = Item.objects.all() if queryset is None else queryset
    user_roles = roles(user)
    if user_roles.is_office_staff:
        return queryset
    departments = user_roles.clerk_of | user_roles.head_of
    if not departments:
        return queryset.none()
    return queryset.filter(department_id__in=departments)


def can_view(user, item: Item) -> bool:
    user_roles = roles(user)
    return user_roles.is_office_staff or item.department_id in (
        user_roles.clerk_of | user_roles.head_of
    )


def can_use_workspace(user) -> bool:
    user_roles = roles(user)
    return user_roles.is_staff_member or user_roles.is_auditor


# --- clerks --------------------------------------------------------------------


def can_create(user, department=None) -> bool:
    user_roles = roles(user)
    if department is None:
        return bool(user_roles.clerk_of)
    return department.pk in user_roles.clerk_of


def creatable_departments(user):
    return Department.objects.filter(pk__in=roles(user).clerk_of, is_active=True)


def is_clerk_for(user, item: Item) -> bool:
    return item.department_id in roles(user).clerk_of


def can_edit(user, item: Item) -> bool:
    return is_clerk_for(user, item) and item.effective_state in EDITABLE_STATES


def can_submit(user, item: Item) -> bool:
    return is_clerk_for(user, item) and item.state in SUBMITTABLE_STATES


def discard_block_reason(item: Item) -> str:
    """Why a draft may not be deleted, in words for the page ('' if it may):
    only a draft never submitted nor published."""
    if item.state != Item.State.DRAFT:
        return _("只有草稿可以删除。")
    if item.publication_count or has_public_record(item):
        return _(
            "这条信息发布过，不能删除草稿；已发布的信息由政务公开办公室撤销或删除。"
        )
    if item.submitted_at is not None:
        return _("这份草稿提交过审核，操作记录须完整保留，不能删除。")
    return ""


def can_discard(user, item: Item) -> bool:
    return is_clerk_for(user, item) and not discard_block_reason(item)


def review_started(item: Item) -> bool:
    """Whether a reviewer acted on the item since it was last submitted."""
    if item.submitted_at is None:
        return False
    return AuditEntry.objects.filter(
        item_id=item.pk,
        action__in=[AuditEntry.Action.APPROVE, AuditEntry.Action.RETURN],
        at__gte=item.submitted_at,
    ).exists()


def can_recall(user, item: Item) -> bool:
    return (
        item.state == Item.State.SUBMITTED
        and is_clerk_for(user, item)
        and not review_started(item)
    )


# --- reviewers -------------------------------------------------------------------


_CONTRIBUTORS = "_portal_contributors"


def contributors(item: Item) -> dict[int, list[str]]:
    """Who touched the revision under review: user id → the kinds of touch
    (``Contribution.Kind``, in its order). Read once per item object."""
    cached = item.__dict__.get(_CONTRIBUTORS)
    if cached is not None and cached[0] == item.publication_count:
        return cached[1]
    prefetch_contributors([item])
    return item.__dict__[_CONTRIBUTORS][1]


def prefetch_contributors(items) -> None:
    """Read the contributors of many items in one query (lists)."""
    items = [item for item in items if item.pk is not None]
    found: dict[int, dict[int, set]] = {item.pk: {} for item in items}
    if items:
        rows = Contribution.objects.filter(
            item_id__in=list(found),
            round__in={item.publication_count for item in items},
        ).values_list("item_id", "round", "user_id", "kind")
        rounds = {item.pk: item.publication_count for item in items}
        for item_id, round_, user_id, kind in rows:
            if rounds[item_id] == round_:
                found[item_id].setdefault(user_id, set()).add(kind)
    order = list(Contribution.Kind.values)
    for item in items:
        by_user = {
            user_id: sorted(kinds, key=order.index)
            for user_id, kinds in found[item.pk].items()
        }
        item.__dict__[_CONTRIBUTORS] = (item.publication_count, by_user)


def forget_contributors(item: Item) -> None:
    item.__dict__.pop(_CONTRIBUTORS, None)


def touches(user, item: Item) -> list[str]:
    """How ``user`` touched the revision under review (none: ``[]``)."""
    if user is None or user.pk is None:
        return []  # an anonymous user touched nothing
    return contributors(item).get(user.pk, [])


def is_author(user, item: Item) -> bool:
    """Touched the revision under review: may not sign it off, approve,
    return or publish it."""
    return bool(touches(user, item))


def contribution_reason(user, item: Item, *, publishing: bool = False) -> str:
    """Why a contributor may not take the step, in words for the page ('' if
    ``user`` touched nothing)."""
    kinds = touches(user, item)
    if not kinds:
        return ""
    listed = "、".join(str(Contribution.Kind(kind).label) for kind in kinds)
    if publishing:
        message = _(
            "您修改过本次送审的内容（%(touches)s），按照双人审核原则不能发布它，"
            "请由其他审核员发布。"
        )
    elif item.review_stage == STAGE_HEAD:
        message = _(
            "您修改过本次送审的内容（%(touches)s），按照双人审核原则不能签批它，"
            "请由部门其他负责人签批。"
        )
    else:
        message = _(
            "您修改过本次送审的内容（%(touches)s），按照双人审核原则不能审核它，"
            "请由其他审核员审核。"
        )
    return message % {"touches": listed}


def holds_stage(user, item: Item) -> bool:
    """Holds the role of the item's current review stage."""
    user_roles = roles(user)
    if item.review_stage == STAGE_HEAD:
        return item.department_id in user_roles.head_of
    if item.review_stage == STAGE_OFFICE:
        return user_roles.is_reviewer
    return False


def can_review(user, item: Item) -> bool:
    """Approve or return the item at its current stage."""
    return (
        item.state == Item.State.SUBMITTED
        and holds_stage(user, item)
        and not is_author(user, item)
    )


def review_block_reason(user, item: Item) -> str:
    """Why the user may not review this item, in words for the page ('' if
    they may)."""
    if item.state != Item.State.SUBMITTED:
        return _("该信息当前不在审核环节。")
    if not holds_stage(user, item):
        return _("您不是当前审核环节（%(stage)s）的审核人。") % {
            "stage": _(STAGE_LABELS.get(item.review_stage, item.review_stage))
        }
    return contribution_reason(user, item)


def can_return(user, item: Item) -> bool:
    """Send the item back to its department: at a review stage, whoever may
    review it there; once approved (not yet published), a reviewer."""
    if item.state == Item.State.SUBMITTED:
        return can_review(user, item)
    return (
        item.state == Item.State.APPROVED
        and roles(user).is_reviewer
        and not is_author(user, item)
    )


def can_publish(user, item: Item) -> bool:
    return (
        item.state == Item.State.APPROVED
        and roles(user).is_reviewer
        and not is_author(user, item)
    )


def publish_block_reason(user, item: Item) -> str:
    """Why the user may not publish this approved item ('' if they may)."""
    if item.state != Item.State.APPROVED:
        return _("该信息尚未审核通过，不能发布。")
    if not roles(user).is_reviewer:
        return _("只有审核员可以发布。")
    return contribution_reason(user, item, publishing=True)


def can_schedule(user, item: Item) -> bool:
    """Publish at a future time: only a first publication (a revision of a
    published item goes public as soon as it is published)."""
    return can_publish(user, item) and not has_public_record(item)


def can_unschedule(user, item: Item) -> bool:
    return item.effective_state == Item.State.SCHEDULED and roles(user).is_reviewer


# --- office administrators --------------------------------------------------------


def has_public_record(item: Item) -> bool:
    return getattr(item, "public_record", None) is not None


def has_live_record(item: Item) -> bool:
    record = getattr(item, "public_record", None)
    return record is not None and record.status == record.Status.LIVE


def can_withdraw(user, item: Item) -> bool:
    return (
        roles(user).is_office_admin
        and item.effective_state != Item.State.SCHEDULED
        and has_live_record(item)
    )


def can_remove(user, item: Item) -> bool:
    """Published in error: a scheduled publication is cancelled instead
    (``can_unschedule``)."""
    record = getattr(item, "public_record", None)
    return (
        roles(user).is_office_admin
        and item.effective_state != Item.State.SCHEDULED
        and record is not None
        and record.status not in (record.Status.REMOVED, record.Status.WITHHELD)
    )


def can_export_audit(user) -> bool:
    user_roles = roles(user)
    return user_roles.is_office_staff or user_roles.is_auditor


def item_flags(user, item: Item) -> dict:
    """Every predicate for one item, for templates."""
    return {
        "can_edit": can_edit(user, item),
        "can_submit": can_submit(user, item),
        "can_review": can_review(user, item),
        "review_block_reason": review_block_reason(user, item),
        "holds_stage": holds_stage(user, item),
        "can_return": can_return(user, item),
        "can_publish": can_publish(user, item),
        "publish_block_reason": publish_block_reason(user, item),
        "can_schedule": can_schedule(user, item),
        "is_author": is_author(user, item),
        "can_unschedule": can_unschedule(user, item),
        "can_withdraw": can_withdraw(user, item),
        "can_remove": can_remove(user, item),
        "can_discard": can_discard(user, item),
        "can_recall": can_recall(user, item),
    }
