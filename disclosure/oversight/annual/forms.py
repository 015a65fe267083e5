"""The annual report's form: the six sections' text and every cell of tables
二, 三 and 四 as a field."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from ..models import AnnualReport
from .consistency import CellError, check_tables
from .layout import (
    AMOUNT_CELL,
    TABLE3_COLUMNS,
    TABLE3_KEYS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TEXT_FIELDS,
    empty_table2,
    empty_table3,
    empty_table4,
    t2_name,
    t3_name,
    t4_name,
    table2_cells,
)

# --- the form ---------------------------------------------------------------------------------


class AnnualReportForm(forms.ModelForm):
    """The six sections' text, every cell of tables 二, 三 and 四, the
    信息处理费 of section 六, and the notes a step may need: the reason for
    figures that differ from the register of requests, the 更正说明 of a
    correction.

    Cells are non-negative integers (the fee amount a non-negative number
    in 万元). :meth:`consistency_errors` applies the rules of the official
    format; submitting and publishing are refused while any fails."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnnualReport
        fields = [*TEXT_FIELDS, "fees_charged", "override_reason", "correction_note"]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 6}) for name in TEXT_FIELDS},
            "override_reason": forms.Textarea(attrs={"rows": 2}),
            "correction_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        self.fields["version"].initial = report.version
        self.fields["fees_charged"].error_messages.update(
            _number_errors(_("第六部分"), _("信息处理费"), _("金额（元）"))
        )
        self.fields["fees_charged"].widget.attrs.update(
            {"min": 0, "step": "0.01", "inputmode": "decimal"}
        )
        if not report.is_published:
            del self.fields["correction_note"]
        if not report.register_figures:
            del self.fields["override_reason"]
        table2 = {**empty_table2(), **(report.table2 or {})}
        table3 = {**empty_table3(), **(report.table3 or {})}
        table4 = {**empty_table4(), **(report.table4 or {})}
        for key, row_label, column_label in table2_cells():
            label = f"{row_label} {column_label}"
            if key == AMOUNT_CELL:
                self.fields[t2_name(key)] = forms.DecimalField(
                    label=label,
                    min_value=Decimal("0"),
                    max_digits=14,
                    decimal_places=4,
                    initial=Decimal(str(table2[key])),
                    error_messages=_number_errors(_("表二"), row_label, column_label),
                )
            else:
                self.fields[t2_name(key)] = _count_field(
                    label, table2[key], _("表二"), row_label, column_label
                )
        for row in TABLE3_ROWS:
            if not row.key:
                continue
            for index, (column, column_label) in enumerate(TABLE3_COLUMNS):
                self.fields[t3_name(row.key, column)] = _count_field(
                    f"{row.label} {column_label}",
                    table3[row.key][index],
                    _("表三"),
                    row.label,
                    column_label,
                )
        for group, group_label in TABLE4_GROUPS:
            for index, (column, column_label) in enumerate(TABLE4_COLUMNS):
                self.fields[t4_name(group, column)] = _count_field(
                    f"{group_label} {column_label}",
                    table4[group][index],
                    _("表四"),
                    group_label,
                    column_label,
                )

    # -- the figures as stored ---------------------------------------------------------

    def table2_figures(self) -> dict:
        data = self.cleaned_data
        figures = {}
        for key, _r, _c in table2_cells():
            value = data[t2_name(key)]
            figures[key] = str(value.normalize()) if key == AMOUNT_CELL else value
        return figures

    def table3_figures(self) -> dict[str, list[int]]:
        data = self.cleaned_data
        return {
            key: [data[t3_name(key, column)] for column, _l in TABLE3_COLUMNS]
            for key in TABLE3_KEYS
        }

    def table4_figures(self) -> dict[str, list[int]]:
        data = self.cleaned_data
        return {
            group: [data[t4_name(group, column)] for column, _l in TABLE4_COLUMNS]
            for group, _l in TABLE4_GROUPS
        }

    def consistency_errors(self) -> list[CellError]:
        return check_tables(self.table3_figures(), self.table4_figures())

    def mark(self, errors: list[CellError]) -> None:
        for error in errors:
            self.add_error(error.field, error.message)

    def apply(self, report: AnnualReport) -> None:
        for name in TEXT_FIELDS:
            setattr(report, name, self.cleaned_data[name])
        report.fees_charged = self.cleaned_data["fees_charged"]
        for name in ("override_reason", "correction_note"):
            if name in self.cleaned_data:
                setattr(report, name, self.cleaned_data[name].strip())
        report.table2 = self.table2_figures()
        report.table3 = self.table3_figures()
        report.table4 = self.table4_figures()


def _number_errors(table, row_label, column_label) -> dict:
    where = _("%(table)s“%(row)s”行“%(column)s”列") % {
        "table": table,
        "row": row_label,
        "column": column_label,
    }
    return {
        "required": _("%(where)s：请填写数字（没有的填0）。") % {"where": where},
        "invalid": _("%(where)s：请填写不小于0的整数。") % {"where": where},
        "min_value": _("%(where)s：不能为负数。") % {"where": where},
        "max_digits": _("%(where)s：数字位数过多。") % {"where": where},
        "max_decimal_places": _("%(where)s：最多保留4位小数。") % {"where": where},
        "max_whole_digits": _("%(where)s：数字位数过多。") % {"where": where},
    }


def _count_field(label, initial, table, row_label, column_label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        initial=initial,
        error_messages=_number_errors(table, row_label, column_label),
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    )
