# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SalesProcessCase


@tagged("post_install", "-at_install")
class TestTechniques(SalesProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.product.product_tmpl_id
        cls.price = cls.env["sale.objection"].create(
            {"name": "SCR Too expensive", "category": "price", "answer_script": "<p>Compare the total cost.</p>"}
        )
        cls.timing = cls.env["sale.objection"].create({"name": "SCR Next quarter", "category": "timing"})

    def test_r5_2_fab_sheet_read_by_consultants_written_by_managers(self):
        self.template.with_user(self.manager).write(
            {
                "fab_feature": "<p>Oak top, steel frame</p>",
                "fab_advantage": "<p>Twice as stable</p>",
                "fab_benefit": "<p>Lasts ten years</p>",
            }
        )
        sheet = self.template.with_user(self.consultant).read(["fab_feature", "fab_advantage", "fab_benefit"])[0]
        self.assertIn("Oak top", sheet["fab_feature"])
        self.assertIn("Twice as stable", sheet["fab_advantage"])
        self.assertIn("ten years", sheet["fab_benefit"])
        with self.assertRaises(AccessError):
            self.template.with_user(self.consultant).write({"fab_benefit": "<p>Cheaper</p>"})

    def test_r5_2_lead_shows_fab_of_products_of_interest(self):
        lead = self._lead(product_interest_ids=[Command.link(self.template.id)])
        self.assertEqual(lead.fab_product_ids, self.template)

    def test_r5_3_library_read_by_consultants_kept_by_managers(self):
        names = (
            self.env["sale.objection"].with_user(self.consultant).search([("id", "in", self.price.ids)]).mapped("name")
        )
        self.assertEqual(names, ["SCR Too expensive"])
        with self.assertRaises(AccessError):
            self.env["sale.objection"].with_user(self.consultant).create({"name": "SCR Mine", "category": "need"})
        with self.assertRaises(AccessError):
            self.price.with_user(self.supervisor).write({"name": "SCR Renamed"})
        objection = self.env["sale.objection"].with_user(self.manager).create({"name": "SCR Need", "category": "need"})
        self.assertEqual(objection.category, "need")

    def test_r5_3_consultant_records_objections_on_own_lead(self):
        lead = self._lead()
        met = (
            self.env["crm.lead.objection"]
            .with_user(self.consultant)
            .create({"lead_id": lead.id, "objection_id": self.price.id, "answer": "<p>Showed the five-year cost</p>"})
        )
        self.assertEqual(met.user_id, self.consultant)
        self.assertEqual(met.category, "price")
        self.assertEqual(lead.objection_open_count, 1)
        met.outcome = "resolved"
        self.assertEqual(lead.objection_open_count, 0)
        # the team mate does not see it, the supervisor of the team does
        with self.assertRaises(AccessError):
            met.with_user(self.consultant2).read(["answer"])
        self.assertEqual(met.with_user(self.supervisor).outcome, "resolved")
        with self.assertRaises(AccessError):
            self.env["crm.lead.objection"].with_user(self.consultant2).create(
                {"lead_id": lead.id, "objection_id": self.timing.id}
            )

    def test_r5_3_resolved_only_with_the_answer_given(self):
        lead = self._lead()
        met = (
            self.env["crm.lead.objection"]
            .with_user(self.consultant)
            .create({"lead_id": lead.id, "objection_id": self.timing.id})
        )
        with self.assertRaises(ValidationError) as ctx:
            met.write({"outcome": "resolved", "answer": "<p> </p>"})
        self.assertIn("R5.3", str(ctx.exception))
        self.assertIn("answer given", str(ctx.exception))
        met.write({"outcome": "resolved", "answer": "<p>Reserved today's price</p>"})
        self.assertEqual(met.outcome, "resolved")

    def test_r5_3_objections_counted_by_consultant_and_category(self):
        lead = self._lead()
        lead2 = self._lead(user=self.consultant2)
        Met = self.env["crm.lead.objection"]
        Met.with_user(self.consultant).create(
            [
                {"lead_id": lead.id, "objection_id": self.price.id},
                {"lead_id": lead.id, "objection_id": self.timing.id},
            ]
        )
        Met.with_user(self.consultant2).create({"lead_id": lead2.id, "objection_id": self.price.id})
        counts = {
            (user.login, category): count
            for user, category, count in Met.with_user(self.supervisor)._read_group(
                [("lead_id", "in", (lead | lead2).ids)], ["user_id", "category"], ["__count"]
            )
        }
        self.assertEqual(
            counts,
            {("scr_consultant", "price"): 1, ("scr_consultant", "timing"): 1, ("scr_consultant2", "price"): 1},
        )
        self.assertEqual(self.price.lead_objection_count, 2)

    def test_r5_3_objection_library_per_company_shared_when_empty(self):
        other = self.env["res.company"].create({"name": "SCR Objection Other Co"})
        self.manager.company_ids |= other
        theirs = (
            self.env["sale.objection"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[other.id])
            .create({"name": "SCR Their answer", "category": "price", "company_id": other.id})
        )
        ours = self.env["sale.objection"].create(
            {"name": "SCR Our answer", "category": "price", "company_id": self.company.id}
        )
        Library = self.env["sale.objection"].with_user(self.consultant)
        ids = (theirs | ours | self.price).ids
        self.assertEqual(Library.search([("id", "in", ids)]), ours | self.price, "another company's answers hidden")
        self.assertFalse(self.price.company_id, "an objection without company is shared")
        with self.assertRaises(AccessError):
            theirs.with_user(self.consultant).read(["answer_script"])
        # An objection of one company is not linked to another company's product, either way.
        own_product = self.env["product.template"].create({"name": "SCR Own Chair", "company_id": self.company.id})
        with self.assertRaises(UserError) as ctx:
            theirs.write({"product_tmpl_ids": [Command.link(own_product.id)]})
        self.assertIn("SCR Own Chair", str(ctx.exception))
        with self.assertRaises(UserError):
            own_product.write({"objection_ids": [Command.link(theirs.id)]})
        self.assertFalse(theirs.product_tmpl_ids)
        self.assertFalse(own_product.objection_ids)
        ours.write({"product_tmpl_ids": [Command.link(own_product.id)]})
        self.assertEqual(own_product.objection_ids, ours)

    def test_r5_3_lost_with_open_objections_flagged_filtered_and_analysed(self):
        chair = self.env["product.template"].create({"name": "SCR Chair"})
        lost = self._lead(name="SCR Lost Deal", product_interest_ids=[Command.set((self.template | chair).ids)])
        answered = self._lead(name="SCR Lost Answered", product_interest_ids=[Command.set(chair.ids)])
        open_kept = self._lead(name="SCR Still Open", user=self.consultant2)
        Met = self.env["crm.lead.objection"].with_user(self.consultant)
        Met.create({"lead_id": lost.id, "objection_id": self.price.id})
        Met.create({"lead_id": lost.id, "objection_id": self.timing.id, "answer": "<p>Held</p>", "outcome": "resolved"})
        Met.create({"lead_id": answered.id, "objection_id": self.timing.id, "outcome": "lost"})
        Met.with_user(self.consultant2).create({"lead_id": open_kept.id, "objection_id": self.price.id})
        self.assertFalse(lost.lost_with_open_objections)
        (lost | answered).with_user(self.consultant).action_set_lost()
        self.assertTrue(lost.lost_with_open_objections)
        self.assertFalse(answered.lost_with_open_objections, "lost, but its objection was not left open")
        self.assertFalse(open_kept.lost_with_open_objections, "open objection, deal not lost")
        # the filter of the lead list finds the archived lost lead
        leads = (lost | answered | open_kept).ids
        domain = [("lost_with_open_objections", "=", True), ("active", "=", False), ("id", "in", leads)]
        self.assertEqual(self.env["crm.lead"].with_user(self.supervisor).search(domain), lost)
        # resolving the objection afterwards clears the flag; restoring the lead too
        lost.objection_ids.filtered(lambda line: line.outcome == "open").write(
            {"outcome": "resolved", "answer": "<p>Too late</p>"}
        )
        self.assertFalse(lost.lost_with_open_objections)
        lost.objection_ids.filtered(lambda line: line.objection_id == self.price).outcome = "open"
        self.assertTrue(lost.lost_with_open_objections)

        # the techniques analysis: which objection loses most deals, per consultant and product
        Report = self.env["crm.lead.objection.report"].with_user(self.supervisor)
        self.env.flush_all()
        scope = [("lead_id", "in", leads)]
        by_objection = dict(Report._read_group(scope, ["objection_id"], ["lost_count:sum"]))
        self.assertEqual(by_objection[self.price], 2, "the lost lead's two products, its objection open")
        self.assertEqual(by_objection[self.timing], 1, "lost because of it on the other lead")
        by_product = {
            (product.name, objection.name): count
            for product, objection, count in Report._read_group(
                scope + [("lost_open", "=", True)], ["product_tmpl_id", "objection_id"], ["lost_open_count:sum"]
            )
        }
        self.assertEqual(by_product, {("SCR Desk", "SCR Too expensive"): 1, ("SCR Chair", "SCR Too expensive"): 1})
        by_user = dict(Report._read_group(scope, ["user_id"], ["lost_count:sum"]))
        self.assertEqual(by_user, {self.consultant: 3, self.consultant2: 0})
        # a consultant analyses their own leads only
        mine = self.env["crm.lead.objection.report"].with_user(self.consultant2).search(scope)
        self.assertEqual(mine.lead_id, open_kept)

    def test_r5_2_fab_missing_filter_quotation_lines_and_printed_sheet(self):
        complete = {
            "fab_feature": "<p>Oak top, steel frame</p>",
            "fab_advantage": "<p>Twice as stable</p>",
            "fab_benefit": "<p>Lasts ten years</p>",
        }
        self.template.write(complete)
        partial = self.env["product.template"].create({"name": "SCR Half Sheet", "fab_feature": "<p>Steel</p>"})
        empty = self.env["product.template"].create({"name": "SCR No Sheet", "fab_benefit": "<p><br></p>"})
        scope = [("id", "in", (self.template | partial | empty).ids)]
        Product = self.env["product.template"].with_user(self.consultant)
        self.assertEqual(Product.search(scope + [("fab_missing", "=", True)]), partial | empty)
        self.assertEqual(Product.search(scope + [("fab_missing", "=", False)]), self.template)
        partial.write({"fab_advantage": "<p>Light</p>", "fab_benefit": "<p>Easy to move</p>"})
        self.assertFalse(partial.fab_missing)
        # the quotation line shows the FAB of its product to the consultant
        order = self._order()
        line = order.order_line.with_user(self.consultant)
        self.assertIn("Oak top", line.fab_feature)
        self.assertIn("Twice as stable", line.fab_advantage)
        self.assertIn("ten years", line.fab_benefit)
        # the printable FAB sheet, with the product's objections and their recommended answers
        self.template.objection_ids = [Command.link(self.price.id)]
        report = self.env.ref("sales_consultant_regulation.action_report_product_fab")
        html = str(
            self.env["ir.actions.report"]
            .with_user(self.consultant)
            ._render_qweb_html(report.report_name, (self.template | empty).ids)[0]
        )
        for text in ("SCR Desk", "Oak top", "Twice as stable", "ten years", "SCR Too expensive", "Compare the total"):
            self.assertIn(text, html)
        self.assertIn("To be written", html, "an empty part of the sheet is shown as missing")
