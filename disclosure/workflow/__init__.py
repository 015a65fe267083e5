"""The life of a disclosure item: one function per step.

Every function runs in one transaction, re-reads the item with SELECT ... FOR
UPDATE, checks the state against :data:`TRANSITIONS` and the permission against
``disclosure.permissions``, saves with ``update_fields``, writes the audit entry
in the same transaction and sends e-mail only after the commit.

States::

    draft ──submit──▶ submitted ──approve (last stage)──▶ approved ──publish──▶ published
      ▲                 │  ▲ approve (head stage: to the office stage)       │ (future time:
      └──── returned ◀──┘  │                                                 │  scheduled)
                           └───────────── edit of a published item ◀─────────┘
    published/… ──withdraw──▶ withdrawn (撤回: page says so, out of listings)
    published ──repeal──▶ published (废止/失效: page and listings keep it)
    published/withdrawn/… ──remove──▶ removed (page answers 410)
    draft (never submitted) ──discard──▶ discarded (out of every list)
    submitted (no reviewer acted yet) ──recall──▶ draft

A policy and its interpretations, each approved on its own, may be published
together in one step (``publish_together``, 国办发〔2016〕80号).
"""

from .clerk import discard, recall, rename_attachment
from .editing import add_attachment, create_item, remove_attachment, submit, update_item
from .review import (
    approve,
    publish,
    remove,
    repeal,
    return_item,
    unschedule,
    withdraw,
)
from .together import publish_together
from .transitions import (
    CONTENT_INPUT_FIELDS,
    TRANSITIONS,
    InvalidTransition,
    NotAllowed,
    StaleEdit,
    WorkflowError,
    compute_due_on,
)

__all__ = [
    "CONTENT_INPUT_FIELDS",
    "TRANSITIONS",
    "InvalidTransition",
    "NotAllowed",
    "StaleEdit",
    "WorkflowError",
    "add_attachment",
    "approve",
    "compute_due_on",
    "discard",
    "recall",
    "rename_attachment",
    "create_item",
    "publish",
    "publish_together",
    "remove",
    "remove_attachment",
    "repeal",
    "return_item",
    "submit",
    "unschedule",
    "update_item",
    "withdraw",
]
