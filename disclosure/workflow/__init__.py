from .review import *  # noqa: F403
from .review import CONTENT_INPUT_FIELDS, TRANSITIONS  # noqa: F401
