"""docs/architecture.md, principle 6: every clause of the shipped regulation names the tests that prove it,
and every test it names exists (no Odoo: the data XML and the test modules are parsed)."""

import ast
import xml.etree.ElementTree as ET

import pytest

DATA = "data/sale_regulation_data.xml"


def shipped_clauses(addon_dir):
    """{code: {field: text}} of the clauses in the shipped regulation data."""
    root = ET.parse(addon_dir / DATA).getroot()
    clauses = {}
    for record in root.iter("record"):
        if record.get("model") != "sale.regulation.clause":
            continue
        values = {field.get("name"): (field.text or "") for field in record.findall("field")}
        clauses[values["code"]] = values
    return clauses


def existing_tests(addon_dir):
    """{"module.Class.method"} of the addon's Odoo tests."""
    names = set()
    for path in sorted((addon_dir / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                    names.add(f"{path.stem}.{node.name}.{item.name}")
    return names


def listed_tests(values):
    return [line.strip() for line in values.get("test_names", "").splitlines() if line.strip()]


@pytest.fixture
def clauses(addon_dir):
    return shipped_clauses(addon_dir)


def test_every_clause_is_shipped_with_its_kind(clauses):
    assert {"R1.1", "R4.6", "R10.2"} <= set(clauses)
    assert all(values.get("rule_type") in ("hard", "soft") for values in clauses.values())


def test_every_listed_test_exists(clauses, addon_dir):
    tests = existing_tests(addon_dir)
    missing = {code: name for code, values in clauses.items() for name in listed_tests(values) if name not in tests}
    assert not missing, f"clauses list tests that do not exist: {missing}"


def test_every_hard_clause_lists_its_tests(clauses):
    untested = sorted(
        code for code, values in clauses.items() if values["rule_type"] == "hard" and not listed_tests(values)
    )
    assert not untested, f"hard clauses without tests: {untested}"


def test_every_hard_clause_has_a_compliance_figure(clauses):
    unmeasured = sorted(
        code for code, values in clauses.items() if values["rule_type"] == "hard" and not values.get("compliance_key")
    )
    assert not unmeasured, f"hard clauses without a compliance figure: {unmeasured}"


def test_listed_tests_are_detected_when_missing(tmp_path):
    """The checks above catch a wrong name and an empty hard clause."""
    (tmp_path / "data").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("class TestX:\n    def test_r4_2_ok(self):\n        pass\n")
    (tmp_path / DATA).write_text(
        '<odoo><record id="a" model="sale.regulation.clause"><field name="code">R4.2</field>'
        '<field name="rule_type">hard</field><field name="test_names">test_x.TestX.test_r4_2_ok\n'
        "test_x.TestX.test_r4_2_gone</field></record>"
        '<record id="b" model="sale.regulation.clause"><field name="code">R4.3</field>'
        '<field name="rule_type">hard</field></record></odoo>'
    )
    clauses = shipped_clauses(tmp_path)
    tests = existing_tests(tmp_path)
    assert [n for n in listed_tests(clauses["R4.2"]) if n not in tests] == ["test_x.TestX.test_r4_2_gone"]
    assert not listed_tests(clauses["R4.3"])
