"""Spreadsheets of the appraisal and incentives (addon report/xlsx_tables.py), without Odoo."""

import io
import re
import zipfile

from conftest import load_pure

xlsx = load_pure("report/xlsx_tables.py")

COLUMNS = [("Consultant", "text", None), ("Sales Amount", "money", "sum"), ("Score", "percent", "average")]


def _read(content):
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        workbook = book.read("xl/workbook.xml").decode()
        sheets = [book.read(f"xl/worksheets/sheet{i}.xml").decode() for i in (1, 2)]
        strings = book.read("xl/sharedStrings.xml").decode()
    return re.findall(r'<sheet name="([^"]+)"', workbook), sheets, strings


def test_r6_sheet_per_period_numbers_and_formula_totals():
    content = xlsx.build_xlsx(
        [
            {"name": "2026-01", "title": "Appraisals 2026-01", "columns": COLUMNS, "rows": [["Chen", 1500.5, 80.0]]},
            {"name": "2026-02", "columns": COLUMNS, "rows": [["Chen", 100, 90], ["Wang", 200, 70]]},
        ],
        total_label="合計",
    )
    names, (first, second), strings = _read(content)
    assert names == ["2026-01", "2026-02"]
    # title, blank line, header on row 3, data from row 4, totals below
    assert "<f>SUM(B4:B4)</f>" in first
    assert "<v>1500.5</v>" in first  # a number, not a string
    assert "<f>SUM(B2:B3)</f>" in second
    assert "<f>AVERAGE(C2:C3)</f>" in second
    assert "合計" in strings and "Sales Amount" in strings


def test_r6_sheet_names_valid_and_unique():
    assert xlsx.sheet_names(["2026 Q1", "a/b:c", "x" * 40, "2026 q1", ""]) == [
        "2026 Q1",
        "a-b-c",
        "x" * 31,
        "2026 q1 (2)",
        "Sheet",
    ]


def test_empty_sheet_has_no_totals():
    content = xlsx.build_xlsx([{"name": "Empty", "columns": COLUMNS, "rows": []}])
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
