# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A language installed after the addon, through Odoo's own wizard, reaches what users see
by name: the shipped records and the regulated pipeline made from them."""

from odoo.tests import tagged
from odoo.tools import SQL

from .common import RegulationCase

MODULE = "sales_consultant_regulation"
LANG = "zh_TW"


@tagged("post_install", "-at_install")
class TestLanguageInstalledAfter(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team._apply_regulation_pipeline()
        cls.stages = cls.env["crm.stage"].search([("team_id", "=", cls.team.id), ("regulation_step", "!=", False)])
        cls.items = cls.env["crm.stage.checklist.item"].search([("stage_id", "in", cls.stages.ids)])
        # The pipeline was applied while the language was not installed: its records hold no
        # term of it (the database may already have it; the test makes it so).
        cls.env.flush_all()
        for table, column, ids in (
            ("crm_stage", "name", cls.stages.ids),
            ("crm_stage_checklist_item", "name", cls.items.ids),
            ("crm_stage_checklist_item", "guidance", cls.items.ids),
        ):
            cls.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s - %s WHERE id = ANY(%s)",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    SQL.identifier(column),
                    LANG,
                    ids,
                )
            )
        cls.env.invalidate_all()

    def _install_language(self, overwrite=False):
        lang = self.env["res.lang"].with_context(active_test=False).search([("code", "=", LANG)])
        wizard = self.env["base.language.install"].create({"lang_ids": [lang.id], "overwrite": overwrite})
        wizard.lang_install()
        self.env.invalidate_all()

    def test_stages_and_items_of_the_regulated_pipeline_in_chinese(self):
        self.assertEqual(len(self.stages), 7)
        self.assertEqual(len(self.items), 17, "the 17 items of the shipped template")
        self._install_language()
        reception = self.stages.filtered(lambda s: s.regulation_step == "reception").with_context(lang=LANG)
        self.assertEqual(reception.name, "接待")
        for stage in self.stages.with_context(lang=LANG):
            with self.subTest(stage=stage.with_context(lang="en_US").name):
                self.assertNotEqual(stage.name, stage.with_context(lang="en_US").name)
                self.assertNotIn("R4", stage.name, "a stage is named without its clause")
        for item in self.items.with_context(lang=LANG):
            english = item.with_context(lang="en_US")
            with self.subTest(item=english.name):
                self.assertNotEqual(item.name, english.name)
                self.assertEqual(item.name, item.template_item_id.with_context(lang=LANG).name)
                if english.guidance:
                    self.assertNotEqual(item.guidance, english.guidance)
        needs = self.env.ref(f"{MODULE}.checklist_item_reception_needs").with_context(lang=LANG)
        self.assertEqual(needs.name, "已接待來訪客戶並詢問需求")

    def test_shipped_records_users_see_by_name_in_chinese(self):
        self._install_language()
        for xmlid, field in (
            ("sale_appraisal_kpi_amount", "name"),
            ("crm_customer_class_potential", "name"),
            ("mail_activity_type_customer_followup", "name"),
            ("mail_template_greeting_lunar_new_year", "subject"),
        ):
            record = self.env.ref(f"{MODULE}.{xmlid}")
            with self.subTest(record=xmlid):
                self.assertNotEqual(record.with_context(lang=LANG)[field], record.with_context(lang="en_US")[field])

    def test_a_company_text_is_kept_and_copies_take_every_language(self):
        """A copy whose English the company changed keeps its own text; a translation someone
        entered is kept unless the terms are reloaded with overwrite."""
        renamed, translated = self.items[:2]
        renamed.with_context(lang="en_US").name = "Our own check"
        self._install_language()
        self.assertEqual(renamed.with_context(lang=LANG).name, "Our own check")
        translated.update_field_translations("name", {LANG: "我們自己的譯文"})
        self._install_language()
        self.assertEqual(translated.with_context(lang=LANG).name, "我們自己的譯文")
        self._install_language(overwrite=True)
        self.assertEqual(
            translated.with_context(lang=LANG).name, translated.template_item_id.with_context(lang=LANG).name
        )
        # a team regulated now gets the items with every language of their template
        self.free_team._apply_regulation_pipeline()
        copies = self.env["crm.stage.checklist.item"].search([("stage_id.team_id", "=", self.free_team.id)])
        self.assertEqual(len(copies), 17)
        for copy in copies.with_context(lang=LANG):
            self.assertEqual(copy.name, copy.template_item_id.with_context(lang=LANG).name)

    def test_overwrite_updates_the_shipped_noupdate_records(self):
        """The shipped configuration is noupdate: Odoo keeps its translations on a reload, even
        with overwrite. Updating the terms with overwrite gives a shipped record whose English
        is unchanged the shipped translation; a record the company renamed keeps its own."""
        self._install_language()
        amount = self.env.ref(f"{MODULE}.sale_appraisal_kpi_amount")
        margin = self.env.ref(f"{MODULE}.sale_appraisal_kpi_margin")
        shipped = amount.with_context(lang=LANG).name
        self.assertEqual(shipped, "銷售額")
        amount.update_field_translations("name", {LANG: "舊的譯名"})
        margin.with_context(lang="en_US").name = "Our margin"
        margin.update_field_translations("name", {LANG: "我們的毛利"})
        self._install_language()
        self.assertEqual(amount.with_context(lang=LANG).name, "舊的譯名", "kept without overwrite")
        self._install_language(overwrite=True)
        self.assertEqual(amount.with_context(lang=LANG).name, shipped)
        self.assertEqual(margin.with_context(lang=LANG).name, "我們的毛利", "the company's own record")
        self.assertEqual(margin.with_context(lang="en_US").name, "Our margin")
