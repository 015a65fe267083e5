"""The core's models: disclosure items (``items``), what the public sees of
them (``records``) and what the workflow keeps besides them (``bookkeeping``).

Django imports this module for the app; the migrations name
``disclosure.models.attachment_path`` and ``public_attachment_path``. The
models of a package (e.g. ``disclosure/oversight/models.py``) live in that
package and are imported by ``DisclosureConfig.ready()``, never from here: the
core never imports a package.

The order of the imports below is the order the models are registered in
(the archive writes them in that order).
"""

from .items import (
    Authored,
    DisclosureMode,
    DocumentClass,
    Item,
    ItemContent,
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
    AppendOnlyError,
    AuditEntry,
    Contribution,
    IndexSerial,
    PublicationGeneration,
    ReviewConfig,
    Revision,
)

__all__ = [
    "AppendOnlyError",
    "Attachment",
    "AuditEntry",
    "Authored",
    "ChangeNote",
    "Contribution",
    "DisclosureMode",
    "DocumentClass",
    "IndexSerial",
    "Item",
    "ItemContent",
    "PublicRecord",
    "PublicationGeneration",
    "Revision",
    "ReviewConfig",
    "Scope",
    "Validity",
    "attachment_path",
    "public_attachment_path",
]
