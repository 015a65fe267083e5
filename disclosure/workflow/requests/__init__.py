"""The life of a request for information (依申请公开): one function per
step, as for items (``disclosure/workflow/``): each runs in one transaction,
re-reads the request with SELECT ... FOR UPDATE, checks the state against
:data:`TRANSITIONS` and the permission against
``disclosure.request_permissions``, saves with ``update_fields``, writes the
request's trail (``RequestEvent``) in the same transaction and sends e-mail
after the commit.

States::

    (online) submitted ──confirm──▶ processing ◀──register (post, in person, fax)
              │ discard                │ ▲  ├─correction──▶ correction ──corrected──┐
              ▼                        │ │  ├─fee_notice──▶ fee ──fee_paid──────────┤
          discarded                    │ └──┴──────────────────────────────────────┘
                                       └─draft_reply──▶ review ──send_reply──▶ closed
                                                  ◀──return_reply──┘
    (correction or fee lapsed: draft_reply of （六）1 or （六）2 from there;
     withdraw: closed as （六）3 from any open state)
"""

from .common import TRANSITIONS
from .handling import (
    confirm_payment,
    end_consultation,
    extend,
    issue_fee_notice,
    respond_to_fee,
    start_consultation,
)
from .intake import (
    assign,
    confirm_receipt,
    correct,
    discard,
    register,
    request_correction,
    submit_online,
    withdraw,
)
from .replies import draft_reply, make_proactive, return_reply, send_reply

__all__ = [
    "TRANSITIONS",
    "assign",
    "confirm_payment",
    "confirm_receipt",
    "correct",
    "discard",
    "draft_reply",
    "end_consultation",
    "extend",
    "issue_fee_notice",
    "make_proactive",
    "register",
    "request_correction",
    "respond_to_fee",
    "return_reply",
    "send_reply",
    "start_consultation",
    "submit_online",
    "withdraw",
]
