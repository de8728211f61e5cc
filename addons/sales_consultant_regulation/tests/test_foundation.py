# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RegulationCase

MODULE = "sales_consultant_regulation"


@tagged("post_install", "-at_install")
class TestFoundation(RegulationCase):
    def test_groups_imply_design(self):
        """docs/architecture.md: consultant ⊂ salesman; supervisor ⊂ consultant; manager ⊂ supervisor
        and sales manager."""
        ref = self.env.ref
        consultant = ref(f"{MODULE}.group_consultant")
        supervisor = ref(f"{MODULE}.group_supervisor")
        manager = ref(f"{MODULE}.group_regulation_manager")
        self.assertIn(ref("sales_team.group_sale_salesman"), consultant.implied_ids)
        self.assertIn(consultant, supervisor.implied_ids)
        self.assertIn(supervisor, manager.implied_ids)
        self.assertIn(ref("sales_team.group_sale_manager"), manager.implied_ids)
        category = ref(f"{MODULE}.module_category_sales_regulation")
        self.assertEqual((consultant | supervisor | manager).category_id, category)
        self.assertEqual(category.name, "Sales Regulation")
        # The implications reach the users: a consultant is a salesman, not a sales manager.
        self.assertTrue(self.consultant.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.consultant.has_group("sales_team.group_sale_manager"))
        self.assertFalse(self.consultant.has_group(f"{MODULE}.group_supervisor"))
        self.assertTrue(self.supervisor.has_group(f"{MODULE}.group_consultant"))
        self.assertFalse(self.supervisor.has_group(f"{MODULE}.group_regulation_manager"))
        self.assertTrue(self.manager.has_group("sales_team.group_sale_manager"))
        self.assertTrue(self.manager.has_group(f"{MODULE}.group_consultant"))

    def _addon_models(self):
        data = self.env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.model")])
        models = self.env["ir.model"].browse(data.mapped("res_id"))
        # Only the models the addon creates; inherited core models carry their own module's xml id.
        return models.filtered(
            lambda m: (
                m.model in self.env and not self.env[m.model]._abstract and self.env[m.model]._original_module == MODULE
            )
        )

    def test_every_model_has_access_and_company_rule(self):
        """A guard for models added later: access rows for each, and a multi-company rule
        for each with a company."""
        models = self._addon_models()
        for model in models:
            with self.subTest(model=model.model):
                self.assertTrue(model.access_ids, f"{model.model} has no ir.model.access rows")
                Model = self.env[model.model]
                if "company_id" in Model._fields and not Model._transient:
                    rules = self.env["ir.rule"].search([("model_id", "=", model.id), ("global", "=", True)])
                    self.assertTrue(
                        any("company_ids" in (r.domain_force or "") for r in rules),
                        f"{model.model} has company_id but no multi-company rule",
                    )

    def test_regulated_scope(self):
        """docs/architecture.md, principle 5: the regulated teams are the ones marked so, nothing else."""
        teams = self.env["crm.team"].search(self.env["crm.team"]._regulated_domain())
        self.assertIn(self.team, teams)
        self.assertNotIn(self.free_team, teams)

    def test_only_managers_mark_teams_regulated(self):
        """Marking a team regulated is configuration: a consultant may not."""
        with self.assertRaises(AccessError):
            self.free_team.with_user(self.consultant).write({"regulation_enabled": True})
        self.free_team.with_user(self.manager).action_regulation_enable()
        self.assertTrue(self.free_team.regulation_enabled)

    def test_settings_count_regulated_teams(self):
        # Settings are Odoo's (Administration/Settings); the regulation manager configures
        # the records, an administrator the options.
        admin = self.env.ref("base.user_admin")
        settings = self.env["res.config.settings"].with_user(admin).create({})
        expected = self.env["crm.team"].search_count(
            [("regulation_enabled", "=", True), ("company_id", "in", [False, self.env.company.id])]
        )
        self.assertEqual(settings.regulation_team_count, expected)
        self.assertGreaterEqual(settings.regulation_team_count, 1)
        action = settings.action_open_regulated_teams()
        self.assertEqual(action["res_model"], "crm.team")

    def test_settings_form_shows_the_regulated_teams(self):
        """The settings form opens through onchange, where the count shows as well."""
        admin = self.env.ref("base.user_admin")
        values = (
            self.env["res.config.settings"]
            .with_user(admin)
            .onchange({}, [], {"company_id": {}, "regulation_team_count": {}})["value"]
        )
        self.assertEqual(values["regulation_team_count"], 1, "the test's own regulated team")
        self.free_team.regulation_enabled = True
        values = (
            self.env["res.config.settings"]
            .with_user(admin)
            .onchange({}, [], {"company_id": {}, "regulation_team_count": {}})["value"]
        )
        self.assertEqual(values["regulation_team_count"], 2)

    def test_menu_visibility(self):
        """The app menu is for the regulation groups; Configuration for managers only."""
        root = self.env.ref(f"{MODULE}.menu_root")
        config = self.env.ref(f"{MODULE}.menu_configuration")
        consultant_menus = self.env["ir.ui.menu"].with_user(self.consultant)._visible_menu_ids()
        manager_menus = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(root.id, consultant_menus)
        self.assertNotIn(config.id, consultant_menus)
        self.assertIn(config.id, manager_menus)
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "scr_outsider",
                "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        self.assertNotIn(root.id, self.env["ir.ui.menu"].with_user(outsider)._visible_menu_ids())
