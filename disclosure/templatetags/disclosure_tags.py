"""Template helpers of the public column: search highlighting, file type labels
and the published items of a catalog entry."""

from django import template

from disclosure import search_highlight
from disclosure.interpretations import interpretations_awaiting_publication
from disclosure.public import fragments, selectors
from disclosure.public.pagination import CappedPaginator
from disclosure.sanitize import html_to_text
from disclosure.uploads import type_label
from portal.data_lang import as_data

register = template.Library()

ENTRY_ITEMS_PER_PAGE = 20


@register.filter
def zh(value):
    """Data entered in Chinese inside a translated sentence, marked as such:
    ``{% blocktranslate with name=department.name|zh %}…``, so that an
    English page reads it as Chinese (WCAG 3.1.2)."""
    if value in ("", None):
        return value
    return as_data(value)


@register.filter
def highlight(text, query):
    """``text`` escaped, the words of ``query`` (a SearchQuery) in <mark>."""
    if isinstance(query, fragments.Skeleton):
        return query.slot("highlight", str(text or ""))
    return search_highlight.highlight(str(text or ""), query)


@register.filter
def search_excerpt(body_html, query):
    """A highlighted extract of a (sanitised) body around the first match."""
    if isinstance(query, fragments.Skeleton):
        return query.slot("excerpt")
    return search_highlight.excerpt(html_to_text(body_html or ""), query)


@register.simple_tag
def record_rows(records, query=None):
    """The rows of an item list (``disclosure/public/fragments.py``: each
    row rendered once per publication generation, day and language)."""
    return fragments.record_rows(records, query)


@register.filter
def file_type(extension):
    return type_label(extension or "")


@register.simple_tag
def with_param(params, name, value):
    """The query string ``params`` with ``name`` set to ``value``, from page 1."""
    query = params.copy()
    query[name] = value
    query.pop("page", None)
    return "?" + query.urlencode()


@register.simple_tag
def interpretation_partners(item):
    """The approved interpretations of ``item`` that the review may publish
    together with it (国办发〔2016〕80号)."""
    return list(interpretations_awaiting_publication(item))


@register.inclusion_tag(
    "disclosure/public/includes/entry_items.html", takes_context=True
)
def entry_items(context, entry):
    """The published items of a catalog entry, newest first, paginated with
    ``?page=`` (an invalid page shows the first or the last)."""
    request = context["request"]
    paginator = CappedPaginator(selectors.entry_records(entry), ENTRY_ITEMS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {"entry": entry, "page_obj": page_obj, "request": request}
