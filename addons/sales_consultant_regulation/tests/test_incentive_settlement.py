# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 15: money that comes back. Hand-computed on the February fixtures (IncentiveCase):

- consultant: the order of 2 x 1000 (40 % margin, 5 %: 100) and 60 % of the split deal of
  5 x 1000 (3000, 150); x1.5 on the total and 2 % of the sales: a line is worth its commission
  x1.5 plus 2 % of its base (the order: 150 + 40 = 190; the split deal: 225 + 60 = 285);
- consultant2: 40 % of the split deal (2000, 100) and the foreign order (1000, 50), no tier."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import IncentiveCase


@tagged("post_install", "-at_install")
class TestIncentiveSettlement(IncentiveCase):
    def _lines(self, statement, line_type="commission"):
        return statement.line_ids.filtered(lambda line: line.line_type == line_type)

    def _approve_february(self, plan=None, users=None):
        plan = plan or self.plan
        plan._compute_statements(self.feb)
        statements = plan.statement_ids.filtered(
            lambda s: s.period_id == self.feb and (users is None or s.user_id in users)
        )
        statements.with_user(self.manager).action_confirm()
        statements.with_user(self.manager).action_approve()
        return statements

    def _march(self, user, plan=None):
        plan = plan or self.plan
        plan._compute_statements(self.mar)
        return plan.statement_ids.filtered(lambda s: s.period_id == self.mar and s.user_id == user)

    def _refund(self, order, quantity, date="2021-03-10"):
        invoice = order.invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
        if not invoice:
            invoice = order._create_invoices()
            invoice.invoice_date = "2021-02-28"
            invoice.action_post()
        refund = invoice._reverse_moves([{"invoice_date": date}])
        refund.invoice_line_ids.filtered(lambda line: line.display_type == "product").quantity = quantity
        refund.action_post()
        return refund

    def test_r6_4_quantity_lowered_to_nil_is_clawed_back_once(self):
        february = self._approve_february(users=self.consultant)
        order_line = self.feb_order.order_line
        order_line.product_uom_qty = 0
        march = self._march(self.consultant)
        clawback = self._lines(march, "clawback")
        self.assertEqual(len(clawback), 1)
        feb_line = self._lines(february).filtered(lambda line: line.sale_line_id == order_line)
        self.assertEqual(clawback.clawback_of_id, feb_line)
        self.assertEqual(clawback.sale_line_id, order_line)
        self.assertAlmostEqual(clawback.amount, -190.0)
        self.assertAlmostEqual(clawback.base_amount, -2000.0)
        self.assertIn(self.feb_order.name, clawback.reason)
        self.assertIn("lowered", clawback.reason)
        self.assertAlmostEqual(march.clawback_total, -190.0)
        # recomputing twice never claws back twice; the approved statement never changes
        self._march(self.consultant)
        self.assertEqual(len(self._lines(march, "clawback")), 1)
        self.assertAlmostEqual(march.total, -190.0)
        self.assertAlmostEqual(february.total, 475.0)

    def test_r6_4_increase_after_approval_pays_the_difference(self):
        self._approve_february(users=self.consultant)
        self.feb_order.order_line.product_uom_qty = 3
        march = self._march(self.consultant)
        difference = self._lines(march, "clawback")
        # 3000 at 5 % = 150 x1.5 = 225, + 2 % of 3000 = 60: 285, paid 190
        self.assertAlmostEqual(difference.amount, 95.0)
        self.assertAlmostEqual(difference.base_amount, 1000.0)
        self.assertTrue(difference.reason.startswith("Difference"))
        self.assertIn("raised", difference.reason)

    def test_r7_1_partial_credit_notes_in_proportion_and_split_over_two_statements(self):
        """A credit note for 2 of the split deal's 5 (40 %): the consultant gives back 40 % of
        285 = 114, consultant2 40 % of 100 = 40; a second one for 1 more (20 %), after March is
        approved: 57 and 20 in April, nothing taken twice."""
        self._approve_february()
        refund = self._refund(self.split_order, 2)
        march = self._march(self.consultant)
        march2 = self.plan.statement_ids.filtered(lambda s: s.period_id == self.mar and s.user_id == self.consultant2)
        by_user = {statement.user_id: self._lines(statement, "clawback") for statement in march | march2}
        self.assertAlmostEqual(by_user[self.consultant].amount, -114.0)
        self.assertAlmostEqual(by_user[self.consultant].share, 60.0)
        self.assertAlmostEqual(by_user[self.consultant2].amount, -40.0)
        self.assertIn("credit notes refund 40 %", by_user[self.consultant].reason)
        self.assertEqual(refund.invoice_line_ids.sale_line_ids, self.split_order.order_line)
        (march | march2).with_user(self.manager).action_confirm()
        (march | march2).with_user(self.manager).action_approve()
        self._refund(self.split_order, 1, date="2021-04-05")
        april = self._period("2021-04")
        april.with_user(self.manager).action_open()
        self.plan._compute_statements(april)
        self.plan._compute_statements(april)
        april_of = {s.user_id: s for s in self.plan.statement_ids.filtered(lambda s: s.period_id == april)}
        second = self._lines(april_of[self.consultant], "clawback")
        self.assertEqual(len(second), 1)
        self.assertAlmostEqual(second.amount, -57.0)
        # each settlement settles the last one: the chain is February, March, April
        self.assertEqual(second.clawback_of_id, by_user[self.consultant])
        self.assertAlmostEqual(self._lines(april_of[self.consultant2], "clawback").amount, -20.0)

    def test_r6_4_order_basis_full_credit_note_is_clawed_back(self):
        self._approve_february(users=self.consultant)
        self._refund(self.feb_order, 2)
        clawback = self._lines(self._march(self.consultant), "clawback")
        self.assertAlmostEqual(clawback.amount, -190.0)
        self.assertIn("credit notes refund 100 %", clawback.reason)

    def test_r6_4_deleting_a_cancelled_order_keeps_the_reference_and_the_clawback(self):
        february = self._approve_february(users=self.consultant)
        name = self.split_order.name
        self.split_order._action_cancel()
        march = self._march(self.consultant)
        self.assertAlmostEqual(self._lines(march, "clawback").amount, -285.0)
        self.assertIn("cancelled", self._lines(march, "clawback").reason)
        self.split_order.unlink()
        feb_line = self._lines(february).filtered(lambda line: line.base_amount == 3000.0)
        self.assertFalse(feb_line.sale_line_id)
        self.assertEqual(feb_line.document, name)
        # what it was computed from stays readable: product, 60 % of 5 units, the 25-100 % band, 5 %
        self.assertEqual(feb_line.product_id, self.product)
        self.assertAlmostEqual(feb_line.quantity, 3.0)
        self.assertEqual(feb_line.band, "25-100 %")
        self.assertAlmostEqual(feb_line.share, 60.0)
        self.assertAlmostEqual(feb_line.rate, 5.0)
        self.assertAlmostEqual(feb_line.margin_percent, 40.0)
        self._march(self.consultant)
        clawback = self._lines(march, "clawback")
        self.assertEqual(len(clawback), 1)
        self.assertAlmostEqual(clawback.amount, -285.0)
        self.assertEqual(clawback.document, name)
        self.assertIn("removed", clawback.reason)

    def test_r6_4_line_removed_from_the_order(self):
        self._approve_february(users=self.consultant)
        order = self.feb_order
        order.action_unlock() if order.locked else None
        order._action_cancel()
        order.action_draft()
        order.order_line.unlink()
        clawback = self._lines(self._march(self.consultant), "clawback")
        self.assertAlmostEqual(clawback.amount, -190.0)
        self.assertIn("removed", clawback.reason)

    def test_r6_4_invoice_basis_price_lowered_after_approval(self):
        """Invoice basis: the invoice of 2 x 1000 (100; 2000 of the 4000 target, no tier) reset
        to draft: all of it is given back; posted again at 750: 1500 at its 5 % rate is worth 75,
        25 is given back."""
        plan = self.plan.copy({"name": "SCR Invoiced", "basis": "invoice"})
        invoice = self.feb_order._create_invoices()
        invoice.invoice_date = "2021-02-15"
        invoice.action_post()
        self._approve_february(plan, users=self.consultant)
        invoice.button_draft()
        clawback = self._lines(self._march(self.consultant, plan), "clawback")
        self.assertAlmostEqual(clawback.amount, -100.0)
        self.assertIn("reset to draft or cancelled", clawback.reason)
        invoice.invoice_line_ids.price_unit = 750.0
        invoice.action_post()
        clawback = self._lines(self._march(self.consultant, plan), "clawback")
        self.assertAlmostEqual(clawback.amount, -25.0)
        self.assertIn("lowered", clawback.reason)

    def test_r6_4_paid_basis_payment_unreconciled(self):
        plan = self.plan.copy({"name": "SCR Paid", "basis": "paid"})
        invoice = self.feb_order._create_invoices()
        invoice.invoice_date = "2021-02-15"
        invoice.action_post()
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": "2021-02-20"}
        )._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        february = self._approve_february(plan, users=self.consultant)
        self.assertAlmostEqual(february.commission_total, 100.0)
        invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").remove_move_reconcile()
        self.assertEqual(invoice.payment_state, "not_paid")
        march = self._march(self.consultant, plan)
        clawback = self._lines(march, "clawback")
        self.assertAlmostEqual(clawback.amount, -100.0)
        self.assertEqual(clawback.move_line_id, invoice.invoice_line_ids)
        self.assertIn("payment was unreconciled", clawback.reason)
        self._march(self.consultant, plan)
        self.assertEqual(len(self._lines(march, "clawback")), 1)

    def test_r6_4_snapshot_and_settlements_are_the_systems(self):
        """The kept reference and the settlement lines are written by the computation only."""
        february = self._approve_february(users=self.consultant)
        self.feb_order.order_line.product_uom_qty = 1
        march = self._march(self.consultant)
        feb_line = self._lines(february).filtered(lambda line: line.sale_line_id == self.feb_order.order_line)
        self.assertEqual(feb_line.document_name, self.feb_order.name)
        with self.assertRaises(AccessError):
            feb_line.with_user(self.manager).write({"document_name": "forged"})
        clawback = self._lines(march, "clawback")
        with self.assertRaises(AccessError):
            clawback.with_user(self.manager).write({"amount": 0.0})
        with self.assertRaises(AccessError):
            self.env["sale.incentive.statement.line"].with_user(self.manager).create(
                {"statement_id": march.id, "line_type": "clawback", "clawback_of_id": feb_line.id, "reason": "x"}
            )
        self.assertEqual(feb_line.document_name, self.feb_order.name)
        # 1000 at 5 % = 50 x1.5 = 75 + 2 % of 1000 = 20: 95, paid 190
        self.assertAlmostEqual(clawback.amount, -95.0)
        self.assertEqual(self._lines(march, "clawback"), clawback)

    def test_r6_4_order_dated_in_an_approved_month_counts_in_the_next_statement(self):
        """An order confirmed after February was approved, dated in February: 1 x 1000 at 40 %
        margin, 5 %: 50, with February's x1.5 and 2 %: 75 + 20 = 95, in March, once."""
        february = self._approve_february(users=self.consultant)
        late = self._confirmed_order(self.consultant, self.old_customer, 1, "2021-02-26 03:00:00")
        march = self._march(self.consultant)
        line = self._lines(march, "clawback")
        self.assertEqual(len(line), 1)
        self.assertEqual(line.sale_line_id, late.order_line)
        self.assertAlmostEqual(line.amount, 95.0)
        self.assertIn("Late document", line.reason)
        self.assertIn(late.name, line.reason)
        self.assertFalse(line.clawback_of_id)
        self._march(self.consultant)
        self.assertEqual(len(self._lines(march, "clawback")), 1)
        self.assertAlmostEqual(february.total, 475.0)
        # once settled in an approved statement, it is not taken again
        march.with_user(self.manager).action_confirm()
        march.with_user(self.manager).action_approve()
        april = self._period("2021-04")
        april.with_user(self.manager).action_open()
        self.plan._compute_statements(april)
        april_statement = self.plan.statement_ids.filtered(
            lambda s: s.period_id == april and s.user_id == self.consultant
        )
        self.assertFalse(self._lines(april_statement, "clawback"))

    def test_r6_4_credit_note_dated_in_an_approved_month_invoice_basis(self):
        """Invoice basis: the invoice of 2 x 1000 (100, no tier) approved in February; a credit
        note for 1, dated 25 February, posted after: -50 in March, February unchanged."""
        plan = self.plan.copy({"name": "SCR Invoiced", "basis": "invoice"})
        invoice = self.feb_order._create_invoices()
        invoice.invoice_date = "2021-02-15"
        invoice.action_post()
        february = self._approve_february(plan, users=self.consultant)
        self.assertAlmostEqual(february.total, 100.0)
        refund = self._refund(self.feb_order, 1, date="2021-02-25")
        march = self._march(self.consultant, plan)
        line = self._lines(march, "clawback")
        self.assertEqual(line.move_line_id, refund.invoice_line_ids)
        self.assertAlmostEqual(line.amount, -50.0)
        self.assertIn(refund.name, line.reason)
        self.assertAlmostEqual(february.total, 100.0)
        self.assertFalse(self._lines(march).filtered(lambda ln: ln.move_line_id == refund.invoice_line_ids))

    def test_r6_4_discrepancy_appears_and_is_settled(self):
        """The February order line lowered from 2 to 1 after approval: February shows a
        discrepancy of -95 (150 + 40 paid, 75 + 20 worth today) on that line until March is
        computed, which settles it."""
        february = self._approve_february(users=self.consultant)
        self.assertEqual(february.discrepancy_amount, 0.0)
        feb_line = self._lines(february).filtered(lambda line: line.sale_line_id == self.feb_order.order_line)
        self.feb_order.order_line.product_uom_qty = 1
        february.invalidate_recordset(["discrepancy_amount"])
        self.assertAlmostEqual(february.discrepancy_amount, -95.0)
        self.assertAlmostEqual(feb_line.discrepancy_amount, -95.0)
        other = self._lines(february) - feb_line
        self.assertEqual(other.discrepancy_amount, 0.0)
        # the consultant reads their own statement's discrepancy too
        self.assertAlmostEqual(february.with_user(self.consultant).discrepancy_amount, -95.0)
        march = self._march(self.consultant)
        self.assertAlmostEqual(self._lines(march, "clawback").amount, -95.0)
        february.invalidate_recordset(["discrepancy_amount"])
        (february.line_ids).invalidate_recordset(["discrepancy_amount"])
        self.assertEqual(february.discrepancy_amount, 0.0)
        self.assertEqual(feb_line.discrepancy_amount, 0.0)
        # a draft statement has none
        self.assertEqual(march.discrepancy_amount, 0.0)

    def test_r6_4_recovery_in_instalments_over_three_statements(self):
        """Cap 50 %: the split deal cancelled after February is approved owes 285. March sells
        4 x 1000 (200 commission, no target: no tier): 100 taken, 185 carried; April 2 x 1000
        (100): 50 taken, 135 carried; May 6 x 1000 (300): the 135 left, nothing carried."""
        self.plan.recovery_cap_percent = 50.0
        with self.assertRaises(ValidationError):
            self.plan.recovery_cap_percent = 150.0
        self.assertEqual(self.plan.recovery_cap_percent, 50.0)
        self._approve_february(users=self.consultant)
        self.split_order._action_cancel()
        self._confirmed_order(self.consultant, self.old_customer, 4, "2021-03-10 03:00:00")
        march = self._march(self.consultant)
        taken = self._lines(march, "clawback")
        self.assertAlmostEqual(taken.amount, -100.0)
        self.assertIn("instalment: 100.00 of 285.00", taken.reason)
        self.assertAlmostEqual(march.clawback_carried, 185.0)
        self.assertAlmostEqual(march.total, 100.0)
        self._march(self.consultant)
        self.assertAlmostEqual(self._lines(march, "clawback").amount, -100.0)
        self.assertAlmostEqual(self.plan.clawback_outstanding, 185.0)
        statements = [march]
        for month, quantity, expected_taken, expected_carried in (
            ("2021-04", 2, 50.0, 135.0),
            ("2021-05", 6, 135.0, 0.0),
        ):
            statements[-1].with_user(self.manager).action_confirm()
            statements[-1].with_user(self.manager).action_approve()
            period = self._period(month)
            period.with_user(self.manager).action_open()
            self._confirmed_order(self.consultant, self.old_customer, quantity, f"{month}-10 03:00:00")
            self.plan._compute_statements(period)
            statement = self.plan.statement_ids.filtered(
                lambda s, p=period: s.period_id == p and s.user_id == self.consultant
            )
            self.assertAlmostEqual(-self._lines(statement, "clawback").amount, expected_taken)
            self.assertAlmostEqual(statement.clawback_carried, expected_carried)
            statements.append(statement)
        # the chain of instalments: February's line, then March, April and May settle it in turn
        self.assertEqual(self._lines(statements[2], "clawback").clawback_of_id, self._lines(statements[1], "clawback"))
        self.assertAlmostEqual(sum(self._lines(s, "clawback").amount for s in statements), -285.0)
        self.plan.invalidate_recordset(["clawback_outstanding"])
        self.assertAlmostEqual(self.plan.clawback_outstanding, 0.0)
