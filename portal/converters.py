"""URL path converters shared by the apps' URLconfs."""

from django.urls import register_converter


class IdConverter:
    """A database id or year in a URL: at most 18 digits, so always within the
    64-bit range the databases store. A longer number matches no route (404)
    instead of overflowing in the query (SQLite raises OverflowError)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
