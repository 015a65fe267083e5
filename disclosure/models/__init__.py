from .items import *  # noqa: F403
from .items import attachment_path, public_attachment_path  # noqa: F401
