"""The core's models: disclosure items (``items``), what the public sees of
them (``records``), what the workflow keeps besides them (``bookkeeping``) and the
register of requests for information (``requests``).

Django imports this module for the app; the migrations name
``disclosure.models.attachment_path`` and ``public_attachment_path``. The
models of a package (e.g. ``disclosure/oversight/models.py``) live in that
package and are imported by ``DisclosureConfig.ready()``, never from here: the
core never imports a package.

The order of the imports below is the order the models are registered in
(the archive writes them in that order).
"""

from portal.append_only import AppendOnlyError

from .choices import Ending
from .items import (
    Authored,
    DisclosureMode,
    DocumentClass,
    InterpretationForm,
    Item,
    ItemContent,
    ItemKind,
    Scope,
    Validity,
)
from .records import (
    Attachment,
    ChangeNote,
    PublicRecord,
    attachment_path,
    public_attachment_path,
)

from .bookkeeping import (  # isort: skip (registration order)
    AuditEntry,
    Contribution,
    IndexSerial,
    PublicationGeneration,
    ReviewConfig,
    Revision,
)
from .site import SiteSettings  # isort: skip
from .consultations import (  # isort: skip
    Consultation,
    ConsultationAttachment,
    ConsultationComment,
)
from .complaints import Complaint  # isort: skip
from .subscriptions import Subscription, SubscriptionDelivery  # isort: skip
from .activity import ParticipationEntry  # isort: skip
from .requests import (  # isort: skip (registration order)
    ApplicantKind,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    FeeMethod,
    IdType,
    InformationRequest,
    ReplyType,
)
from .request_records import (  # isort: skip (registration order)
    AppealCase,
    ReadingPlace,
    RequestEvent,
    RequestLetter,
    RequestPause,
    RequestReminder,
    RequestSerial,
)
from .elements import ElementAnswer  # isort: skip (registration order)

__all__ = [
    "AppealCase",
    "AppendOnlyError",
    "ApplicantKind",
    "Channel",
    "DeliveryForm",
    "DeliveryMethod",
    "FeeMethod",
    "IdType",
    "InformationRequest",
    "ReplyType",
    "RequestEvent",
    "RequestLetter",
    "RequestPause",
    "RequestReminder",
    "RequestSerial",
    "Attachment",
    "AuditEntry",
    "Authored",
    "ChangeNote",
    "Complaint",
    "Consultation",
    "ConsultationAttachment",
    "ConsultationComment",
    "Contribution",
    "ElementAnswer",
    "DisclosureMode",
    "DocumentClass",
    "Ending",
    "IndexSerial",
    "InterpretationForm",
    "Item",
    "ItemContent",
    "ItemKind",
    "ParticipationEntry",
    "PublicRecord",
    "PublicationGeneration",
    "ReadingPlace",
    "Revision",
    "ReviewConfig",
    "Scope",
    "SiteSettings",
    "Subscription",
    "SubscriptionDelivery",
    "Validity",
    "attachment_path",
    "public_attachment_path",
]
