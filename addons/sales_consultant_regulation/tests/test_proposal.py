# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SalesProcessCase

PROPOSAL_SENT = "sales_consultant_regulation.checklist_item_proposal_sent"


@tagged("post_install", "-at_install")
class TestWrittenProposal(SalesProcessCase):
    """R4.4: a regulated quotation is sent as a written proposal with its four parts."""

    def _proposal_line(self, lead):
        template = self.env.ref(PROPOSAL_SENT)
        return lead.checklist_line_ids.filtered(lambda line: line.item_id.template_item_id == template)

    def test_r4_4_quotation_not_sent_without_the_proposal_parts(self):
        order = self._order(commitment_date=False)
        as_consultant = order.with_user(self.consultant)
        self.assertFalse(order.proposal_complete)
        for send in (as_consultant.action_quotation_sent, as_consultant.action_quotation_send):
            with self.assertRaises(ValidationError) as ctx:
                send()
            message = str(ctx.exception)
            self.assertIn("R4.4", message)
            for part in ("Product Configuration", "Price Structure", "Service Commitments", "Delivery Time"):
                self.assertIn(part, message)
            self.assertEqual(order.state, "draft", "nothing changed after the refusal")
        with self.assertRaises(ValidationError):
            as_consultant.write({"state": "sent"})
        self.assertEqual(order.state, "draft")
        with self.assertRaises(ValidationError):
            self._order(state="sent")

    def test_r4_4_refusal_names_only_the_missing_parts(self):
        order = self._order(proposal_configuration="<p>Two desks</p>", proposal_price_structure="<p><br></p>")
        with self.assertRaises(ValidationError) as ctx:
            order.with_user(self.consultant).action_quotation_sent()
        message = str(ctx.exception)
        self.assertNotIn("Product Configuration", message)
        self.assertNotIn("Delivery Time", message)
        self.assertIn("Price Structure", message, "an empty paragraph is no price structure")
        self.assertIn("Service Commitments", message)
        self.assertEqual(order.state, "draft")

    def test_r4_4_complete_proposal_is_sent_by_email_and_marked_sent(self):
        order = self._order(**self.PROPOSAL)
        self.assertTrue(order.proposal_complete)
        as_consultant = order.with_user(self.consultant)
        action = as_consultant.action_quotation_send()
        composer = (
            self.env["mail.compose.message"].with_user(self.consultant).with_context(**action["context"]).create({})
        )
        composer.action_send_mail()
        self.assertEqual(order.state, "sent")
        other = self._order(**self.PROPOSAL)
        other.with_user(self.consultant).action_quotation_sent()
        self.assertEqual(other.state, "sent")

    def test_r4_4_proposal_item_ticks_only_with_the_parts(self):
        lead = self._lead()
        self._ready_for_needs_analysis_exit(lead)
        lead._checklist_advance_to_step("proposal")
        self.assertEqual(lead.stage_id, self.stage["proposal"])
        line = self._proposal_line(lead)
        self.assertTrue(line.is_automatic)
        # A quotation confirmed past the send step without its parts does not tick the item.
        order = self._order(opportunity_id=lead.id)
        order.flush_recordset()
        self.env.cr.execute("UPDATE sale_order SET state = 'sent' WHERE id = %s", [order.id])
        order.invalidate_recordset(["state"])
        line.invalidate_recordset(["done"])
        self.assertFalse(line.done)
        with self.assertRaises(ValidationError) as ctx:
            lead.with_user(self.consultant).write({"stage_id": self.stage["negotiation"].id})
        self.assertIn("Written proposal sent", str(ctx.exception))
        self.assertEqual(lead.stage_id, self.stage["proposal"], "the lead stays at Proposal")
        order.write(self.PROPOSAL)
        line.invalidate_recordset(["done"])
        self.assertTrue(line.done)
        lead._checklist_tick_manual_items(lead.stage_id)
        lead.with_user(self.consultant).write({"stage_id": self.stage["negotiation"].id})
        self.assertEqual(lead.stage_id, self.stage["negotiation"])

    def test_r4_4_unregulated_quotation_sent_as_in_odoo(self):
        order = self._order(team_id=self.free_team.id, commitment_date=False)
        order.with_user(self.consultant).action_quotation_sent()
        self.assertEqual(order.state, "sent")
