"""The annual report's three tables as the templates draw them (the
editor's inputs, or read-only figures), each cell labelled by its row and
column headers for screen readers."""

from __future__ import annotations

from ..annual import layout


def cell_entry(
    name: str, value, errors: dict, editable: bool, labelled_by: str
) -> dict:
    return {
        "name": name,
        "id": f"id_{name}",
        "value": "" if value is None else value,
        "errors": errors.get(name, []),
        "editable": editable,
        "labelled_by": labelled_by,
    }


def tables(report, *, form=None, errors=None, portal=None, editable=False) -> dict:
    """The three tables as the templates draw them, with the values of the
    bound form (if any) and the error messages of each cell."""
    errors = errors or {}

    def value(name, stored):
        if form is not None and form.is_bound:
            return form[name].value()
        return stored

    table2 = []
    for group_index, group in enumerate(layout.table2_display(report, portal)):
        rows = []
        for row in group["rows"]:
            row_id = f"t2-{row['key']}"
            cells = []
            for column_index, cell in enumerate(row["cells"]):
                column_id = f"t2-g{group_index}-c{column_index}"
                entry = cell_entry(
                    cell["name"],
                    value(cell["name"], cell["value"]),
                    errors,
                    editable,
                    f"{row_id} {column_id}",
                )
                entry["portal"] = cell["portal"]
                entry["auto"] = cell["auto"]
                entry["decimal"] = cell["key"] == layout.AMOUNT_CELL
                cells.append(entry)
            rows.append({"id": row_id, "label": row["label"], "cells": cells})
        table2.append(
            {
                "article": group["article"],
                "columns": [
                    {"id": f"t2-g{group_index}-c{i}", "label": label}
                    for i, (_key, label) in enumerate(group["columns"])
                ],
                "rows": rows,
            }
        )
    column_ids = [f"t3-col-{key}" for key, _label in layout.TABLE3_COLUMNS]
    for index in range(1, 6):
        column_ids[index] = f"t3-col-org {column_ids[index]}"
    table3 = []
    group_id = ""
    for row in layout.table3_display(report):
        row_id = f"t3-row-{row['key'] or len(table3)}"
        if not row["key"]:
            if row["level"] == 1:
                group_id = row_id
            table3.append({"id": row_id, "label": row["label"], "heading": True})
            continue
        if row["level"] < 2:
            group_id = ""
        labelled = f"{group_id} {row_id}".strip()
        table3.append(
            {
                "id": row_id,
                "label": row["label"],
                "level": row["level"],
                "heading": False,
                "cells": [
                    cell_entry(
                        name, value(name, stored), errors, editable, f"{labelled} {col}"
                    )
                    for name, stored, col in zip(
                        row["names"], row["values"], column_ids, strict=True
                    )
                ],
            }
        )
    table4 = []
    for group in layout.table4_display(report):
        group_id = f"t4-{group['key']}"
        if group["key"] != "review":
            group_id = f"t4-litigation {group_id}"
        table4.append(
            {
                "key": group["key"],
                "label": group["label"],
                "cells": [
                    cell_entry(
                        name,
                        value(name, stored),
                        errors,
                        editable,
                        f"{group_id} t4-{group['key']}-{i}",
                    )
                    for i, (name, stored) in enumerate(
                        zip(group["names"], group["values"], strict=True)
                    )
                ],
            }
        )
    return {
        "table2": table2,
        "table3": table3,
        "table3_columns": layout.TABLE3_COLUMNS,
        "table3_organisation_columns": layout.TABLE3_ORGANISATION_COLUMNS,
        "table4": table4,
        "table4_columns": layout.TABLE4_COLUMNS,
        "editable": editable,
    }
