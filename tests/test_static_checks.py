"""The static layer's own checks: clean on the addon, and each catches what it is for."""

import re
import shutil

import pytest
import static_checks


@pytest.fixture
def addon_copy(tmp_path, addon_dir):
    dest = tmp_path / "sales_consultant_regulation"
    shutil.copytree(addon_dir, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@pytest.mark.parametrize("name", sorted(static_checks.ALL_CHECKS))
def test_addon_is_clean(name, addon_dir):
    assert static_checks.ALL_CHECKS[name](addon_dir, "sales_consultant_regulation") == []


@pytest.mark.parametrize(
    "snippet, label",
    [
        ('<list string="x"><field name="a"/></list>', None),
        ('<tree string="x"><field name="a"/></tree>', "<tree>"),
        ('<form><field name="a" attrs="{}"/></form>', "attrs="),
        ('<form><button name="a" states="draft"/></form>', "states="),
        ('<record id="a" model="ir.actions.act_window"><field name="view_mode">tree,form</field></record>', "tree"),
    ],
)
def test_xml_pre18_constructs_are_caught(addon_copy, snippet, label):
    (addon_copy / "views" / "extra.xml").write_text(f"<odoo>{snippet}</odoo>")
    problems = static_checks.check_xml(addon_copy)
    if label is None:
        assert problems == []
    else:
        assert len(problems) == 1 and label in problems[0] and "views/extra.xml:1" in problems[0]


def test_xml_comment_mentioning_tree_is_fine(addon_copy):
    (addon_copy / "views" / "extra.xml").write_text("<odoo><!-- no <tree> here, nor attrs= --></odoo>")
    assert static_checks.check_xml(addon_copy) == []


def test_xml_not_well_formed(addon_copy):
    (addon_copy / "views" / "broken.xml").write_text("<odoo><record></odoo>")
    problems = static_checks.check_xml(addon_copy)
    assert problems and "not well-formed" in problems[0]


def test_manifest_unlisted_and_missing_files(addon_copy):
    (addon_copy / "views" / "orphan_views.xml").write_text("<odoo/>")
    manifest = addon_copy / "__manifest__.py"
    manifest.write_text(
        manifest.read_text().replace('"views/menus.xml",', '"views/menus.xml",\n        "views/gone.xml",')
    )
    problems = static_checks.check_manifest(addon_copy)
    assert any("orphan_views.xml: not listed" in p for p in problems)
    assert any("views/gone.xml does not exist" in p for p in problems)


def test_manifest_version_and_description(addon_copy):
    manifest = addon_copy / "__manifest__.py"
    manifest.write_text(
        re.sub(r'"18\.0\.(\d+\.\d+\.\d+)"', r'"17.0.\1"', manifest.read_text()).replace(
            '"license"', '"description": "x",\n    "license"'
        )
    )
    problems = static_checks.check_manifest(addon_copy)
    assert any("not 18.0.x.y.z" in p for p in problems)
    assert any("'description'" in p for p in problems)


def test_access_csv_model_without_rows(addon_copy):
    (addon_copy / "models" / "extra_thing.py").write_text(
        "from odoo import models\n\n\nclass ExtraThing(models.Model):\n    _name = 'scr.extra.thing'\n"
    )
    problems = static_checks.check_access_csv(addon_copy, "sales_consultant_regulation")
    assert "ir.model.access.csv: no access row for model scr.extra.thing" in problems


def test_access_csv_bad_rows(addon_copy):
    csv_path = addon_copy / "security" / "ir.model.access.csv"
    csv_path.write_text(
        csv_path.read_text()
        + "access_x,x,model_scr_unknown,group_nowhere,1,1,1,2\naccess_x,x,model_scr_unknown,,1,0,0,0\n"
    )
    problems = static_checks.check_access_csv(addon_copy, "sales_consultant_regulation")
    assert any("duplicate id access_x" in p for p in problems)
    assert any("permissions must be 0 or 1" in p for p in problems)
    assert any("model_scr_unknown is not a model this addon declares" in p for p in problems)
    assert any("group group_nowhere is not defined" in p for p in problems)


def test_po_placeholder_mismatch(addon_copy):
    po = addon_copy / "i18n" / "zh_TW.po"
    po.write_text(
        po.read_text()
        + '\n#. module: sales_consultant_regulation\nmsgid "Lead %(lead)s is blocked"\nmsgstr "商機 %(name)s 被阻擋"\n'
    )
    problems = static_checks.check_po(addon_copy)
    assert any("placeholders differ" in p for p in problems)


def test_access_csv_abstract_model_needs_no_rows(addon_copy):
    (addon_copy / "models" / "extra_mixin.py").write_text(
        "from odoo import models\n\n\nclass ExtraMixin(models.AbstractModel):\n    _name = 'scr.extra.mixin'\n"
    )
    assert static_checks.check_access_csv(addon_copy, "sales_consultant_regulation") == []


def test_abstract_models_need_no_access_rows(addon_copy):
    (addon_copy / "models" / "extra_service.py").write_text(
        "from odoo import models\n\n\nclass Service(models.AbstractModel):\n    _name = 'x.service'\n\n\n"
        "class Thing(models.Model):\n    _name = 'x.thing'\n"
    )
    problems = static_checks.check_access_csv(addon_copy, "sales_consultant_regulation")
    assert problems == ["ir.model.access.csv: no access row for model x.thing"]


def test_translated_call_with_fstring_is_caught(addon_copy):
    (addon_copy / "models" / "extra_thing.py").write_text(
        "def f(self, x):\n"
        "    ok = self.env._('Value %(v)s', v=x)\n"
        "    bad = self.env._('Value %(v)s', v=f'{x:.1f}')\n"
        "    worse = self.env._(f'Value {x}')\n"
        "    return ok, bad, worse\n"
    )
    problems = static_checks.check_translatable_calls(addon_copy)
    assert len([p for p in problems if "extra_thing.py" in p]) == 3
    assert any("extra_thing.py:3: f-string" in p for p in problems)
    assert any("extra_thing.py:4: the text of a translated call must be a literal" in p for p in problems)


def test_extension_with_a_mixin_needs_no_access_rows(addon_copy):
    """``_name`` repeated with ``_inherit = [model, mixin]`` extends a model; a new model
    inheriting a mixin still needs its rows."""
    (addon_copy / "models" / "extra_lead.py").write_text(
        "from odoo import models\n\n\nclass Lead(models.Model):\n    _name = 'crm.lead'\n"
        "    _inherit = ['crm.lead', 'x.mixin']\n\n\n"
        "class Thing(models.Model):\n    _name = 'x.thing'\n    _inherit = ['x.mixin']\n"
    )
    problems = static_checks.check_access_csv(addon_copy, "sales_consultant_regulation")
    assert problems == ["ir.model.access.csv: no access row for model x.thing"]


def test_readme_rst_follows_its_fragments(addon_copy):
    assert static_checks.check_readme_rst(addon_copy) == []
    usage = addon_copy / "readme" / "USAGE.md"
    usage.write_text(usage.read_text() + "\nA new paragraph.\n")
    assert static_checks.check_readme_rst(addon_copy) == [
        "README.rst is older than readme/ or the manifest: regenerate it with oca-gen-addon-readme "
        "(see the README's Documentation section)"
    ]
    (addon_copy / "README.rst").write_text("Sales Consultant Regulation\n")
    assert "no source digest" in static_checks.check_readme_rst(addon_copy)[0]


def test_data_translations_missing_entry_is_caught(addon_copy):
    """A stage, checklist item or other record a user sees by name without its zh_TW or
    zh_CN translation is reported; an empty translation as well."""
    import polib

    assert static_checks.check_data_translations(addon_copy, "sales_consultant_regulation") == []
    occurrence = "model:crm.stage.checklist.item,name:sales_consultant_regulation.checklist_item_reception_needs"
    tw = polib.pofile(str(addon_copy / "i18n" / "zh_TW.po"))
    entry = next(e for e in tw if (occurrence, "") in e.occurrences)
    tw.remove(entry)
    tw.save()
    cn = polib.pofile(str(addon_copy / "i18n" / "zh_CN.po"))
    next(e for e in cn if (occurrence, "") in e.occurrences).msgstr = ""
    cn.save()
    problems = static_checks.check_data_translations(addon_copy, "sales_consultant_regulation")
    assert len(problems) == 2
    assert "checklist_item_reception_needs crm.stage.checklist.item.name has no zh_TW entry" in problems[0]
    assert "empty zh_CN translation" in problems[1]


def test_data_translations_new_record_without_entry_is_caught(addon_copy):
    data = addon_copy / "data" / "crm_stage_checklist_item_data.xml"
    data.write_text(
        data.read_text().replace(
            "</odoo>",
            '    <record id="checklist_item_extra" model="crm.stage.checklist.item">\n'
            '        <field name="name">An item nobody translated</field>\n'
            "    </record>\n"
            '    <menuitem id="menu_extra_untranslated" name="Untranslated Menu"/>\n'
            "</odoo>",
        )
    )
    problems = static_checks.check_data_translations(addon_copy, "sales_consultant_regulation")
    assert any("checklist_item_extra crm.stage.checklist.item.name has no zh_TW entry" in p for p in problems)
    assert any("checklist_item_extra crm.stage.checklist.item.name has no zh_CN entry" in p for p in problems)
    assert any("menu_extra_untranslated ir.ui.menu.name has no zh_TW entry" in p for p in problems)


def test_po_duplicate_message_is_caught(addon_copy):
    po = addon_copy / "i18n" / "zh_TW.po"
    po.write_text(
        po.read_text(encoding="utf-8")
        + '\n#. module: sales_consultant_regulation\nmsgid "Checklist"\nmsgstr "檢核表"\n',
        encoding="utf-8",
    )
    problems = static_checks.check_po(addon_copy)
    assert problems == ["i18n/zh_TW.po: 'Checklist' is defined twice"]
