# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import AppraisalCase


@tagged("post_install", "-at_install")
class TestConsultantShare(AppraisalCase):
    def test_r7_1_default_share_is_the_salesperson(self):
        order = self._order()
        self.assertEqual([(s.user_id, s.percent) for s in order.consultant_share_ids], [(self.consultant, 100.0)])
        lead = self._lead()
        self.assertEqual([(s.user_id, s.percent) for s in lead.consultant_share_ids], [(self.consultant, 100.0)])
        # a new salesperson takes over an undivided credit
        order.with_user(self.consultant).write({"user_id": self.consultant2.id})
        self.assertEqual(order.consultant_share_ids.user_id, self.consultant2)
        # unregulated teams behave as plain Odoo: no shares
        free = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "team_id": self.free_team.id, "user_id": self.consultant.id}
        )
        self.assertFalse(free.consultant_share_ids)

    def test_r7_1_shares_total_100(self):
        order = self._order()
        share = order.consultant_share_ids
        with self.assertRaises(ValidationError) as ctx:
            share.with_user(self.consultant).write({"percent": 60})
            order.flush_recordset()
        self.assertIn("total 60", str(ctx.exception))
        # one write of the whole split passes
        order.with_user(self.consultant).write(
            {
                "consultant_share_ids": [
                    Command.update(share.id, {"percent": 60}),
                    Command.create({"user_id": self.consultant2.id, "percent": 40, "role": "Product demos"}),
                ]
            }
        )
        order.flush_recordset()
        self.assertEqual(order.consultant_share_total, 100.0)
        with self.assertRaises(ValidationError):
            order.write({"consultant_share_ids": [Command.create({"user_id": self.supervisor.id, "percent": 10})]})
            order.flush_recordset()

    def test_r7_1_split_carried_from_opportunity_to_quotation(self):
        lead = self._lead()
        lead.with_user(self.consultant).write(
            {
                "consultant_share_ids": [
                    Command.update(lead.consultant_share_ids.id, {"percent": 70}),
                    Command.create({"user_id": self.consultant2.id, "percent": 30}),
                ]
            }
        )
        order = self._order(opportunity_id=lead.id)
        self.assertEqual(
            sorted((s.user_id.id, s.percent) for s in order.consultant_share_ids),
            sorted([(self.consultant.id, 70.0), (self.consultant2.id, 30.0)]),
        )

    def test_r7_1_after_confirmation_only_a_supervisor_changes_it_tracked(self):
        order = self._confirmed_order(self.consultant, self.customer, 1, "2021-02-10 03:00:00")
        share = order.consultant_share_ids
        with self.assertRaises(AccessError) as ctx:
            order.with_user(self.consultant).write(
                {
                    "consultant_share_ids": [
                        Command.update(share.id, {"percent": 50}),
                        Command.create({"user_id": self.consultant2.id, "percent": 50}),
                    ]
                }
            )
        self.assertIn("R7.1", str(ctx.exception))
        with self.assertRaises(AccessError):
            share.with_user(self.consultant).unlink()
        order.with_user(self.supervisor).write(
            {
                "consultant_share_ids": [
                    Command.update(share.id, {"percent": 50}),
                    Command.create({"user_id": self.consultant2.id, "percent": 50}),
                ]
            }
        )
        order.flush_recordset()
        self.assertEqual(len(order.consultant_share_ids), 2)
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("Consultant shares changed by", bodies)
        self.assertIn(f"{self.consultant2.name} 50%", bodies)
        # confirmed: a change of salesperson does not move the credit
        order.write({"user_id": self.consultant2.id})
        self.assertEqual(len(order.consultant_share_ids), 2)

    def test_r7_1_consultants_see_shares_of_their_deals_only(self):
        order = self._order(user=self.consultant2)
        Share = self.env["sale.order.consultant.share"]
        self.assertFalse(Share.with_user(self.consultant).search([("order_id", "=", order.id)]))
        self.assertEqual(
            Share.with_user(self.supervisor).search([("order_id", "=", order.id)]), order.consultant_share_ids
        )
