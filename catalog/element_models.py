"""The content elements of a catalog entry as rows (read from the entry's
公开内容（要素）text by ``catalog/elements.py``), and their update.

Registered by ``CatalogConfig.ready()`` (``catalog/models.py`` is full)."""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .elements import HINT_MAX_LENGTH, NAME_MAX_LENGTH, ElementSpec, parse_elements
from .models import CatalogEntry


class ContentElement(models.Model):
    """One element an item of the entry must (or may) contain."""

    entry = models.ForeignKey(
        CatalogEntry,
        verbose_name=_("公开事项"),
        on_delete=models.CASCADE,
        related_name="elements",
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("要素名称"), max_length=NAME_MAX_LENGTH)
    required = models.BooleanField(_("必备"), default=True)
    hint = models.CharField(_("提示"), max_length=HINT_MAX_LENGTH, blank=True)

    class Meta:
        app_label = "catalog"
        verbose_name = _("公开要素")
        verbose_name_plural = _("公开要素")
        ordering = ["entry", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "name"], name="unique_element_name_per_entry"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def spec(self) -> ElementSpec:
        return ElementSpec(self.name, self.required, self.hint)


def set_elements(entry: CatalogEntry, elements: list[ElementSpec]) -> bool:
    """Make the entry's element rows ``elements`` (matched by name, so an
    element keeps its row when the text around it changes). Returns whether
    anything changed."""
    with transaction.atomic():
        existing = {
            element.name: element
            for element in ContentElement.objects.select_for_update().filter(
                entry=entry
            )
        }
        wanted = {spec.name for spec in elements}
        stale = [e.pk for name, e in existing.items() if name not in wanted]
        changed = bool(stale)
        if stale:
            ContentElement.objects.filter(pk__in=stale).delete()
        for order, spec in enumerate(elements, 1):
            row = existing.get(spec.name)
            if row is None:
                ContentElement.objects.create(
                    entry=entry,
                    order=order,
                    name=spec.name,
                    required=spec.required,
                    hint=spec.hint,
                )
                changed = True
            elif (row.order, row.required, row.hint) != (
                order,
                spec.required,
                spec.hint,
            ):
                row.order, row.required, row.hint = order, spec.required, spec.hint
                row.save(update_fields=["order", "required", "hint"])
                changed = True
    return changed


def sync_elements(entry: CatalogEntry) -> bool:
    """Read the elements from the entry's text (raises
    :class:`~catalog.elements.ElementSyntaxError` when it is not a list)."""
    return set_elements(entry, parse_elements(entry.content))
