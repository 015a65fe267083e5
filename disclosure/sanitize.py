"""Server-side sanitising of the rich-text body (nh3, an allow-list).

Clerks paste from Word and WPS: styles, classes, fonts, comments and scripts
are dropped; the structure (paragraphs, headings, lists, tables, emphasis,
links) is kept.
"""

import html as html_lib
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "pre",
    "code",
    "ul",
    "ol",
    "li",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}


#: Elements dropped with their content: code, Word's XML islands, and
#: embedded or fallback content that would otherwise surface as stray text.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "title",
    "xml",
    "iframe",
    "noscript",
    "object",
    "embed",
    "template",
    "svg",
    "math",
}

# The page's own <h1> is the item's title: a heading 1 pasted from Word
# becomes a heading 2 instead of losing its heading (idempotent; the result
# is sanitised afterwards like everything else).
_H1 = re.compile(r"<(/?)h1(?=[\s>/])", re.IGNORECASE)


def clean_html(html: str) -> str:
    if not html:
        return ""
    return nh3.clean(
        _H1.sub(r"<\1h2", html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        clean_content_tags=DROPPED_WITH_CONTENT,
    ).strip()


def html_to_text(html: str) -> str:
    """Plain text of a sanitised body, for search and diffs."""
    text = nh3.clean(html or "", tags=set(), strip_comments=True)
    return " ".join(html_lib.unescape(text).split())
