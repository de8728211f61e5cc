# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Spreadsheets of the appraisal and the incentives, written with xlsxwriter and free of the
ORM so they are tested without Odoo.

A sheet is a dict::

    {
        "name": "2026-03",                 # sheet name (made valid and unique)
        "title": "Appraisals 2026-03",     # optional first line
        "columns": [(header, kind, total)],  # kind: text, number, integer, money, percent
                                             # total: "sum", "average" or None
        "rows": [[value, ...], ...],
    }

Numbers are written as numbers; the totals row holds formulas (``=SUM(C3:C9)``), so the
spreadsheet stays right when someone edits a figure.
"""

import io
import re

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
FORMATS = {
    "text": {},
    "number": {"num_format": "#,##0.00"},
    "integer": {"num_format": "#,##0"},
    "money": {"num_format": "#,##0.00"},
    "percent": {"num_format": "0.0"},
}


def sheet_names(names):
    """Valid, unique sheet names (at most 31 characters, none of []:*?/\\)."""
    result = []
    seen = set()
    for name in names:
        base = INVALID_SHEET_CHARS.sub("-", name or "Sheet").strip("'")[:31] or "Sheet"
        candidate = base
        counter = 2
        while candidate.lower() in seen:
            suffix = f" ({counter})"
            candidate = base[: 31 - len(suffix)] + suffix
            counter += 1
        seen.add(candidate.lower())
        result.append(candidate)
    return result


def build_xlsx(sheets, total_label="Total"):
    """The bytes of a workbook with one sheet per entry of ``sheets``."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1, "text_wrap": True})
    formats = {kind: workbook.add_format(spec) for kind, spec in FORMATS.items()}
    total_formats = {kind: workbook.add_format(dict(spec, bold=True, top=1)) for kind, spec in FORMATS.items()}
    for sheet, name in zip(sheets, sheet_names([s["name"] for s in sheets]), strict=True):
        worksheet = workbook.add_worksheet(name)
        row = 0
        if sheet.get("title"):
            worksheet.write_string(row, 0, sheet["title"], bold)
            row += 2
        columns = sheet["columns"]
        for col, (header, _kind, _total) in enumerate(columns):
            worksheet.write_string(row, col, header, header_format)
            worksheet.set_column(col, col, max(12, min(40, len(header) + 4)))
        worksheet.freeze_panes(row + 1, 0)
        first_data = row + 1
        for values in sheet["rows"]:
            row += 1
            for col, ((_header, kind, _total), value) in enumerate(zip(columns, values, strict=False)):
                if kind == "text" or isinstance(value, str):
                    worksheet.write_string(row, col, "" if value in (None, False) else str(value), formats["text"])
                elif value is None or value is False:
                    worksheet.write_blank(row, col, None, formats[kind])
                else:
                    worksheet.write_number(row, col, value, formats[kind])
        last_data = row
        if sheet["rows"] and any(total for _h, _k, total in columns):
            row += 1
            worksheet.write_string(row, 0, total_label, total_formats["text"])
            for col, (_header, kind, total) in enumerate(columns):
                if not total or col == 0:
                    continue
                cells = f"{xl_rowcol_to_cell(first_data, col)}:{xl_rowcol_to_cell(last_data, col)}"
                function = "SUM" if total == "sum" else "AVERAGE"
                worksheet.write_formula(row, col, f"={function}({cells})", total_formats[kind])
    workbook.close()
    return output.getvalue()
