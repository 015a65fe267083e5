"""The site's emblem (国徽 or the organ's logo), uploaded by the office in the
admin: a PNG or JPEG, recognised by its content (never its name), at most
:data:`MAX_BYTES`, stored without its metadata (EXIF, comments: the same
cleaning as attachments, ``disclosure.scrub``). SVG is refused: it can carry
script."""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .scrub import ScrubError, strip_metadata
from .uploads import sniff, zip_limits

MAX_BYTES = 512 * 1024
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg"}


def check_emblem(uploaded) -> tuple[str, bytes]:
    """(extension, cleaned bytes) of an acceptable emblem, else
    ValidationError with a message for the office."""
    if uploaded.size > MAX_BYTES:
        raise ValidationError(
            _("标志文件不能超过 %(limit)s。") % {"limit": filesizeformat(MAX_BYTES)}
        )
    uploaded.seek(0)
    data = uploaded.read()
    kind = sniff(data[:16], io.BytesIO(data))
    if kind not in CONTENT_TYPES:
        raise ValidationError(_("标志只能是 PNG 或 JPG 图片（按文件内容判断）。"))
    try:
        cleaned = strip_metadata(data, kind, limits=zip_limits())
    except ScrubError as error:
        raise ValidationError(_("图片已损坏，无法读取，请另存后重新上传。")) from error
    return kind, cleaned


def store_emblem(row, uploaded) -> None:
    """Check ``uploaded`` and make it the emblem of the settings ``row``
    (saved by the caller)."""
    kind, cleaned = check_emblem(uploaded)
    row.emblem_sha256 = hashlib.sha256(cleaned).hexdigest()
    row.emblem_extension = kind
    row.emblem.save("emblem", ContentFile(cleaned), save=False)


def remove_emblem(row) -> None:
    if row.emblem:
        row.emblem.delete(save=False)
    row.emblem_sha256 = ""
    row.emblem_extension = ""
