# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Upgrades: each script of migrations/ run as Odoo's upgrade runs it (odoo.modules.migration
loads the file and calls ``migrate(cr, installed_version)``) on data put back into the shape
the previous version left, then the data checked."""

from odoo.modules.migration import load_script
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

MODULE = "sales_consultant_regulation"


def run_migration(cr, version, script, installed_version):
    path = f"{get_module_path(MODULE)}/migrations/{version}/{script}"
    load_script(path, MODULE).migrate(cr, installed_version)


@tagged("post_install", "-at_install")
class TestMigrations(TransactionCase):
    def _as_in_1_0_0(self):
        """The shipped regulation as a database installed with 18.0.1.0.0 has it: a draft
        version (its publication came later) and clauses without traceability fields; and one
        clause a company edited by hand."""
        self.regulation = self.env.ref(f"{MODULE}.sale_regulation_1_0")
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE sale_regulation SET state = 'draft'"))
        self.env.cr.execute(
            SQL(
                "UPDATE sale_regulation_clause SET compliance_key = NULL, test_names = NULL WHERE regulation_id = %s",
                self.regulation.id,
            )
        )
        self.r4_6 = self.regulation.clause_ids.filtered(lambda c: c.code == "R4.6")
        self.env.cr.execute(
            SQL("UPDATE sale_regulation_clause SET test_names = 'our_own.Test.test_x' WHERE id = %s", self.r4_6.id)
        )
        self.env.invalidate_all()
        self.assertEqual(self.regulation.state, "draft")
        self.assertFalse(any(self.regulation.clause_ids.mapped("compliance_key")))

    def test_1_1_0_publishes_the_shipped_regulation_and_fills_its_clauses(self):
        self._as_in_1_0_0()
        run_migration(self.env.cr, "18.0.1.1.0", "post-migrate.py", "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.regulation.state, "published")
        clauses = {clause.code: clause for clause in self.regulation.clause_ids}
        self.assertEqual(clauses["R4.1"].compliance_key, "lead_checklist")
        self.assertIn("test_sales_process.", clauses["R4.1"].test_names)
        self.assertTrue(all(c.compliance_key for c in clauses.values() if c.rule_type == "hard"))
        self.assertEqual(self.r4_6.test_names, "our_own.Test.test_x", "a company's own edit is kept")
        self.assertTrue(self.r4_6.compliance_key)

    def test_1_1_0_keeps_a_company_draft_when_a_version_is_published(self):
        self._as_in_1_0_0()
        own = self.regulation.copy({"version": "2.0"})
        own.action_publish()
        self.assertEqual(own.state, "published")
        run_migration(self.env.cr, "18.0.1.1.0", "post-migrate.py", "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.regulation.state, "draft", "the company publishes its own version, not ours")

    def test_1_1_0_does_nothing_on_a_new_install(self):
        self._as_in_1_0_0()
        run_migration(self.env.cr, "18.0.1.1.0", "post-migrate.py", None)
        self.env.invalidate_all()
        self.assertEqual(self.regulation.state, "draft")
        self.assertFalse(any(self.regulation.clause_ids.mapped("compliance_key")))

    def test_1_1_0_self_made_deal_on_a_colleague_customer_opens_it_no_more(self):
        """R10.1: before 18.0.1.1.0 a consultant read a colleague's customer by creating a lead
        of his own on it; after the upgrade that lead opens nothing, while a lead a supervisor
        assigned still opens its customer."""
        groups = f"sales_team.group_sale_salesman,{MODULE}.group_consultant"
        chen = new_test_user(self.env, "mig.chen", groups=groups)
        wang = new_test_user(self.env, "mig.wang", groups=groups)
        lin = new_test_user(self.env, "mig.lin", groups=f"{groups},{MODULE}.group_supervisor")
        customer = self.env["res.partner"].create({"name": "Wang's Customer", "is_company": True, "user_id": wang.id})
        forged, assigned = self.env["crm.lead"].create(
            [
                {"name": "Chen's own lead", "partner_id": customer.id, "user_id": chen.id},
                {"name": "Lead Lin gave Chen", "partner_id": customer.id, "user_id": chen.id},
            ]
        )
        other = self.env["res.partner"].create({"name": "Another Customer", "is_company": True, "user_id": wang.id})
        assigned_only = self.env["crm.lead"].create({"name": "Assigned", "partner_id": other.id, "user_id": chen.id})
        self.env.flush_all()
        # the 18.0.1.0.0 shape: every deal opened its customer, whoever made it
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET regulation_reader_granted = TRUE,"
                " create_uid = CASE WHEN id = %s THEN %s ELSE %s END WHERE id IN %s",
                forged.id,
                chen.id,
                lin.id,
                (forged | assigned | assigned_only)._ids,
            )
        )
        self.env.invalidate_all()
        self.env.add_to_compute(self.env["res.partner"]._fields["regulation_reader_ids"], customer | other)
        self.env.flush_all()
        self.assertIn(chen, customer.regulation_reader_ids)
        run_migration(self.env.cr, "18.0.1.1.0", "post-migrate.py", "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertFalse(forged.regulation_reader_granted)
        self.assertTrue(assigned.regulation_reader_granted)
        self.assertIn(chen, customer.regulation_reader_ids, "the lead the supervisor assigned still opens it")
        self.assertIn(chen, other.regulation_reader_ids)
        assigned.sudo().unlink()
        self.env.flush_all()
        self.assertNotIn(chen, customer.regulation_reader_ids, "the self-made lead alone opens nothing")

    def test_1_2_0_r4_4_proposal_item_checks_the_proposal_parts(self):
        """The shipped "Written proposal sent" item and its team copies, as 18.0.1.1.0 left them,
        check the proposal's parts after the upgrade; a check a company changed is kept."""
        old = "[('order_ids.state', 'in', ('sent', 'sale'))]"
        shipped = self.env.ref(f"{MODULE}.checklist_item_proposal_sent")
        stage = self.env["crm.stage"].create({"name": "SCR Proposal"})
        copy = shipped.copy({"stage_id": stage.id, "template_item_id": shipped.id})
        own = shipped.copy({"stage_id": stage.id, "template_item_id": shipped.id, "name": "SCR Our own"})
        (shipped | copy).write({"check_domain": old})
        own.write({"check_domain": "[('order_ids.state', '=', 'sale')]"})
        self.env.flush_all()
        run_migration(self.env.cr, "18.0.1.2.0", "post-migrate.py", "18.0.1.1.0")
        self.env.invalidate_all()
        for item in (shipped, copy):
            self.assertIn("proposal_complete", item.check_domain)
        self.assertEqual(own.check_domain, "[('order_ids.state', '=', 'sale')]")
