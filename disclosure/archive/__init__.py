from .importer import *  # noqa: F403
