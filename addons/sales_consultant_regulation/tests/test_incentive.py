# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import zipfile

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.base import workflow_action
from .common import IncentiveCase


@tagged("post_install", "-at_install")
class TestIncentiveStatement(IncentiveCase):
    def _lines(self, statement, line_type="commission"):
        return statement.line_ids.filtered(lambda line: line.line_type == line_type)

    def test_r6_4_statement_equals_hand_computation(self):
        """Consultant: 2000 + 60 % of 5000 at 40 % margin → 5 %: 100 + 150 commission; 125 % of
        the 4000 target → x1.5 on the total (+125); bonus 2 % of 5000 (+100)."""
        self._compute(self.feb)
        statement = self._statement(self.feb, self.consultant)
        commission = self._lines(statement)
        self.assertEqual(len(commission), 2)
        by_order = {line.order_id: line for line in commission}
        line = by_order[self.feb_order]
        self.assertEqual(line.sale_line_id, self.feb_order.order_line)
        self.assertAlmostEqual(line.base_amount, 2000)
        self.assertAlmostEqual(line.margin_percent, 40.0)
        self.assertAlmostEqual(line.rate, 5.0)
        self.assertAlmostEqual(line.amount, 100.0)
        split = by_order[self.split_order]
        self.assertAlmostEqual(split.share, 60.0)
        self.assertAlmostEqual(split.base_amount, 3000)
        self.assertAlmostEqual(split.amount, 150.0)
        self.assertAlmostEqual(statement.completion_rate, 125.0)
        self.assertEqual(statement.multiplier, 1.5)
        self.assertAlmostEqual(statement.commission_total, 250.0)
        self.assertAlmostEqual(statement.accelerator_total, 125.0)  # on the total, not per line
        self.assertAlmostEqual(statement.bonus_total, 100.0)
        self.assertAlmostEqual(statement.total, 475.0)

    def test_r7_1_split_and_second_currency(self):
        """Consultant2: 40 % of the split deal, and the foreign order at its February rate; no
        target, no tier."""
        self._compute(self.feb)
        statement = self._statement(self.feb, self.consultant2)
        by_order = {line.order_id: line for line in self._lines(statement)}
        self.assertAlmostEqual(by_order[self.split_order].share, 40.0)
        self.assertAlmostEqual(by_order[self.split_order].amount, 100.0)
        self.assertAlmostEqual(by_order[self.foreign_order].base_amount, 1000.0)
        self.assertAlmostEqual(by_order[self.foreign_order].amount, 50.0)
        self.assertEqual(statement.multiplier, 1.0)
        self.assertAlmostEqual(statement.total, 150.0)

    def test_r6_4_band_exactly_10_percent_and_difficulty(self):
        tight = self.env["product.product"].create(
            {"name": "SCR Tight Desk", "list_price": 1000, "standard_price": 900}
        )
        order = self._confirmed_order(self.consultant2, self.old_customer, 1, "2021-02-25 03:00:00")
        order.order_line.write({"product_id": tight.id, "price_unit": 1000, "purchase_price": 900})
        self._compute(self.feb)
        line = self._statement(self.feb, self.consultant2).line_ids.filtered(lambda ln: ln.order_id == order)
        self.assertAlmostEqual(line.margin_percent, 10.0)
        self.assertAlmostEqual(line.rate, 3.0)  # exactly 10 % is in the 10-25 % band
        self.assertAlmostEqual(line.amount, 30.0)
        tight.product_tmpl_id.incentive_difficulty = 1.5
        self._compute(self.feb)
        line = self._statement(self.feb, self.consultant2).line_ids.filtered(lambda ln: ln.order_id == order)
        self.assertAlmostEqual(line.difficulty, 1.5)
        self.assertAlmostEqual(line.rate, 4.5)
        self.assertAlmostEqual(line.amount, 45.0)

    def test_r6_4_category_and_product_rates(self):
        category = self.env["product.category"].create({"name": "SCR Hard to Sell"})
        self.product.categ_id = category
        self.plan.rate_ids = [
            Command.create(
                {"categ_id": category.id, "margin_from": 30, "margin_to": 100, "rate": 8.0, "base": "margin"}
            )
        ]
        self._compute(self.feb)
        line = self._lines(self._statement(self.feb, self.consultant)).filtered(
            lambda ln: ln.order_id == self.feb_order
        )
        self.assertAlmostEqual(line.rate, 8.0)
        self.assertAlmostEqual(line.amount, 800 * 0.08)  # on the margin

    def test_r6_4_overlapping_bands_refused(self):
        with self.assertRaises(ValidationError) as ctx:
            self.plan.rate_ids = [Command.create({"margin_from": 20, "margin_to": 30, "rate": 4.0})]
        self.assertIn("overlap", str(ctx.exception))
        # the same band for a category is another scope
        category = self.env["product.category"].create({"name": "SCR Other"})
        self.plan.rate_ids = [
            Command.create({"categ_id": category.id, "margin_from": 20, "margin_to": 30, "rate": 4.0})
        ]
        self.assertEqual(len(self.plan.rate_ids), 4)

    def test_r6_4_recompute_is_idempotent(self):
        self._compute(self.feb)
        statement = self._statement(self.feb, self.consultant)
        adjustment = (
            self.env["sale.incentive.statement.line"]
            .with_user(self.manager)
            .create(
                {"statement_id": statement.id, "line_type": "adjustment", "amount": 20.0, "reason": "Trade show duty"}
            )
        )
        first = sorted((line.line_type, line.amount) for line in statement.line_ids)
        self._compute(self.feb)
        statement.invalidate_recordset()
        self.assertEqual(sorted((line.line_type, line.amount) for line in statement.line_ids), first)
        self.assertIn(adjustment, statement.line_ids)  # manual adjustments survive a recompute
        self.assertAlmostEqual(statement.total, 495.0)

    def test_r6_4_flow_dispute_lock(self):
        self._compute(self.feb)
        statement = self._statement(self.feb, self.consultant)
        Statement = self.env["sale.incentive.statement"]
        # a draft is not the consultant's yet
        self.assertFalse(Statement.with_user(self.consultant).search([("id", "=", statement.id)]))
        with self.assertRaises(AccessError):
            statement.with_user(self.supervisor).action_confirm()
        statement.with_user(self.manager).action_confirm()
        self.assertEqual(Statement.with_user(self.consultant).search([("period_id", "=", self.feb.id)]), statement)
        with self.assertRaises(AccessError):
            statement.with_user(self.consultant2)._dispute("Not mine")
        wizard = (
            self.env["sale.incentive.statement.dispute"]
            .with_user(self.consultant)
            .create({"statement_id": statement.id, "reason": "The Kaohsiung order is missing."})
        )
        wizard.action_confirm()
        self.assertEqual(statement.state, "disputed")
        self.assertEqual(statement.dispute_reason, "The Kaohsiung order is missing.")
        # the manager settles the dispute with an adjustment, then approves and pays
        self.env["sale.incentive.statement.line"].with_user(self.manager).create(
            {"statement_id": statement.id, "line_type": "adjustment", "amount": 40.0, "reason": "Kaohsiung order"}
        )
        self.assertAlmostEqual(statement.total, 515.0)
        statement.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            self.env["sale.incentive.statement.pay"].with_user(self.manager).create(
                {"statement_ids": [Command.set(statement.ids)], "payment_reference": " "}
            ).action_confirm()
        self.env["sale.incentive.statement.pay"].with_user(self.manager).create(
            {"statement_ids": [Command.set(statement.ids)], "payment_reference": "PAYROLL-2021-03"}
        ).action_confirm()
        self.assertEqual((statement.state, statement.payment_reference), ("paid", "PAYROLL-2021-03"))
        # locked: no write, no recompute, no line change
        with self.assertRaises(UserError):
            statement.with_user(self.manager).write({"note": "late change"})
        with self.assertRaises(UserError):
            statement.line_ids[0].sudo().write({"amount": 1})
        with self.assertRaises(UserError):
            self.env["sale.incentive.statement.line"].with_user(self.manager).create(
                {"statement_id": statement.id, "line_type": "adjustment", "amount": 1.0, "reason": "x"}
            )
        with self.assertRaises(UserError):
            statement.with_user(self.manager).action_recompute()
        self._compute(self.feb)  # the plan's computation leaves it as it is
        self.assertAlmostEqual(statement.total, 515.0)

    def test_r6_4_adjustments_by_managers_with_a_reason(self):
        self._compute(self.feb)
        statement = self._statement(self.feb, self.consultant)
        Line = self.env["sale.incentive.statement.line"]
        with self.assertRaises(AccessError):
            Line.with_user(self.supervisor).create(
                {"statement_id": statement.id, "line_type": "adjustment", "amount": 5.0, "reason": "x"}
            )
        with self.assertRaises(UserError):
            Line.with_user(self.manager).create(
                {"statement_id": statement.id, "line_type": "adjustment", "amount": 5.0}
            )
        with self.assertRaises(AccessError):
            self._lines(statement)[0].with_user(self.manager).write({"amount": 1000.0})
        with self.assertRaises(AccessError):
            statement.with_user(self.manager).write({"total": 1.0})

    def test_r6_4_clawback_into_the_next_open_statement(self):
        self._compute(self.feb)
        feb = self._statement(self.feb, self.consultant)
        feb.with_user(self.manager).action_confirm()
        feb.with_user(self.manager).action_approve()
        self.split_order._action_cancel()
        self._compute(self.mar)
        march = self._statement(self.mar, self.consultant)
        clawback = self._lines(march, "clawback")
        split_line = self._lines(feb).filtered(lambda ln: ln.order_id == self.split_order)
        self.assertEqual(clawback.clawback_of_id, split_line)
        # its commission with the x1.5 it earned, and its share of the 2 % bonus: -(150 x 1.5 + 2 % of 3000)
        self.assertAlmostEqual(clawback.amount, -(150 * 1.5 + 60))
        self.assertAlmostEqual(march.total, -285.0)
        # the locked statement never changes; the clawback is taken once
        self.assertAlmostEqual(feb.total, 475.0)
        self.assertEqual(feb.state, "approved")
        self._compute(self.mar)
        self.assertEqual(len(self._lines(march, "clawback")), 1)
        april = self._period("2021-04")
        april.with_user(self.manager).action_open()
        self._compute(april)
        self.assertFalse(self._lines(self._statement(april, self.consultant), "clawback"))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), workflow_action():
            self.env["sale.incentive.statement.line"].create(
                {
                    "statement_id": self._statement(april, self.consultant).id,
                    "line_type": "clawback",
                    "clawback_of_id": split_line.id,
                    "amount": -1,
                }
            )
            self.env.flush_all()

    def test_r6_4_invoice_basis_traces_invoices_credit_notes_and_claws_back(self):
        """Posted invoices basis: a line per invoice line, the credit note counts negative in its
        period, and an invoice cancelled after its statement was approved is given back."""
        plan = self.plan.copy({"name": "SCR Invoiced", "basis": "invoice"})
        invoice = self.feb_order._create_invoices()
        invoice.invoice_date = "2021-02-15"
        invoice.action_post()
        refund = invoice._reverse_moves([{"invoice_date": "2021-02-25"}])
        refund.invoice_line_ids.filtered(lambda line: line.display_type == "product").quantity = 1
        refund.action_post()
        plan._compute_statements(self.feb)
        statement = plan.statement_ids.filtered(lambda s: s.user_id == self.consultant and s.period_id == self.feb)
        by_move = {line.move_id: line for line in self._lines(statement)}
        self.assertEqual(by_move[invoice].move_line_id, invoice.invoice_line_ids)
        self.assertAlmostEqual(by_move[invoice].amount, 100.0)  # 2000 at 40 % margin: 5 %
        self.assertAlmostEqual(by_move[refund].base_amount, -1000.0)
        self.assertAlmostEqual(by_move[refund].amount, -50.0)
        self.assertAlmostEqual(statement.total, 50.0)  # 1000 of 4000: no tier
        statement.with_user(self.manager).action_confirm()
        statement.with_user(self.manager).action_approve()
        invoice.button_draft()
        invoice.button_cancel()
        plan._compute_statements(self.mar)
        march = plan.statement_ids.filtered(lambda s: s.user_id == self.consultant and s.period_id == self.mar)
        clawback = self._lines(march, "clawback")
        self.assertEqual(clawback.clawback_of_id, by_move[invoice])
        self.assertAlmostEqual(clawback.amount, -100.0)
        self.assertAlmostEqual(statement.total, 50.0)

    def test_r6_4_concurrent_computations_cannot_double_count(self):
        """While another transaction computes a statement (it holds the statement's lock until
        it commits), a second computation is refused instead of counting the lines twice."""
        with workflow_action():
            statement = self.env["sale.incentive.statement"].create(
                {"plan_id": self.plan.id, "period_id": self.feb.id, "user_id": self.consultant.id}
            )
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", (7061, statement.id))
            with self.assertRaises(UserError) as ctx:
                self._compute(self.feb)
            self.assertIn("being computed", str(ctx.exception))
            other.rollback()
        self.assertFalse(statement.line_ids)
        self._compute(self.feb)
        self.assertAlmostEqual(statement.total, 475.0)

    def test_r6_4_consultants_read_only_their_own_statements(self):
        self._compute(self.feb)
        statements = self.env["sale.incentive.statement"].search([("period_id", "=", self.feb.id)])
        statements.with_user(self.manager).action_confirm()
        mine = self._statement(self.feb, self.consultant)
        theirs = self._statement(self.feb, self.consultant2)
        Statement = self.env["sale.incentive.statement"]
        self.assertEqual(Statement.with_user(self.consultant).search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.consultant).read(["total"])
        lines = self.env["sale.incentive.statement.line"].with_user(self.consultant).search([])
        self.assertEqual(lines.statement_id, mine)
        self.assertEqual(Statement.with_user(self.supervisor).search([("period_id", "=", self.feb.id)]), mine | theirs)
        outsider = new_test_user(
            self.env,
            login="scr_supervisor_elsewhere",
            groups="base.group_user,sales_consultant_regulation.group_supervisor",
        )
        self.assertFalse(Statement.with_user(outsider).search([("period_id", "=", self.feb.id)]))
        with self.assertRaises(AccessError):
            mine.with_user(self.consultant).write({"note": "mine"})

    def test_r6_4_queries_do_not_grow_with_consultants(self):
        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._compute(self.feb)
            return self.env.cr.sql_log_count - before

        self._compute(self.feb)
        few = count_queries()
        for index in range(5):
            user = new_test_user(
                self.env,
                login=f"scr_paid_{index}",
                groups="base.group_user,sales_consultant_regulation.group_consultant",
            )
            self.team.crm_team_member_ids = [Command.create({"user_id": user.id})]
            self._confirmed_order(user, self.old_customer, 1 + index, "2021-02-18 03:00:00")
        self._compute(self.feb)
        many = count_queries()
        self.assertEqual(len(self.env["sale.incentive.statement"].search([("period_id", "=", self.feb.id)])), 7)
        self.assertEqual(many, few)

    def test_r6_4_spreadsheet_and_pdf(self):
        self._compute(self.feb)
        statement = self._statement(self.feb, self.consultant)
        statement.with_user(self.manager).action_confirm()
        action = statement.with_user(self.consultant).action_export_xlsx()  # the consultant exports their own
        self.assertIn("/file_data/", action["url"])
        export = self.env["sale.incentive.statement.export"].search([], order="id desc", limit=1)
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(export.file_data))) as book:
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn("<f>SUM(J4:J7)</f>", sheet)  # 2 commission lines, accelerator, bonus
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sales_consultant_regulation.report_sale_incentive_statement", statement.ids)[0]
            .decode()
        )
        self.assertIn("Incentive statement", html)
        self.assertIn(self.split_order.name, html)


@tagged("post_install", "-at_install")
class TestPromotion(IncentiveCase):
    def test_r6_4_promotion_review_recommends_and_suggests_training(self):
        rule = self.env.ref("sales_consultant_regulation.sale_promotion_rule_supervisor")
        rule.write({"consecutive_quarters": 2, "min_score": 85, "min_completion": 100, "weak_score": 60})
        quarters = self.periods.filtered(lambda p: p.period_type == "quarter").sorted("date_from")[:2]
        with workflow_action():  # appraisals made as the system would compute them
            quarters.sudo().write({"state": "open"})
            kpis = self.env["sale.appraisal.kpi"].search([])
            Appraisal = self.env["sale.appraisal"].sudo()
            scores = [((90, 110), (95, 90)), ((88, 105), (96, 120))]
            for quarter, (mine, theirs) in zip(quarters, scores, strict=True):
                for user, (score, completion) in ((self.consultant, mine), (self.consultant2, theirs)):
                    appraisal = Appraisal.create({"period_id": quarter.id, "user_id": user.id, "team_id": self.team.id})
                    appraisal.write({"total_score": score, "completion_rate": completion})
                    appraisal.line_ids = [
                        Command.create({"kpi_id": kpi.id, "score": 40 if kpi.measure == "new_customers" else 95})
                        for kpi in kpis
                    ]
        with self.assertRaises(AccessError):
            self.env["sale.promotion.review"].with_user(self.supervisor).create({})
        review = self.env["sale.promotion.review"].with_user(self.manager).create({})
        lines = {line.user_id: line for line in review.line_ids}
        self.assertEqual(lines[self.consultant].recommended_role, "supervisor")
        self.assertEqual(lines[self.consultant].rule_id, rule)
        self.assertAlmostEqual(lines[self.consultant].average_score, 89.0)
        self.assertFalse(lines[self.consultant2].recommended_role)  # completion 90 % one quarter
        self.assertEqual(lines[self.consultant2].weak_kpis, "New Customers")
