# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesProcessCase

PDF = base64.b64encode(b"%PDF-1.4 signed contract")
SIGNATURE = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestStageGate(SalesProcessCase):
    def test_r4_pipeline_applied_to_team_only(self):
        self.assertEqual(
            set(self.stage),
            {"reception", "needs_analysis", "presentation", "proposal", "negotiation", "contract", "won"},
        )
        self.assertTrue(all(stage.team_id == self.team for stage in self.stage.values()))
        self.assertTrue(self.stage["won"].is_won)
        reception_items = self.stage["reception"].checklist_item_ids
        self.assertIn("Company presented", reception_items.mapped("name"))
        self.assertTrue(all(item.template_item_id for item in reception_items))
        # Applying again adds no stage and no item.
        items_before = self.env["crm.stage.checklist.item"].search_count([])
        stages_before = self.env["crm.stage"].search_count([])
        self.team._apply_regulation_pipeline()
        self.assertEqual(self.env["crm.stage.checklist.item"].search_count([]), items_before)
        self.assertEqual(self.env["crm.stage"].search_count([]), stages_before)
        # Shared stages of other teams got no items.
        shared = self.env["crm.stage"].search([("team_id", "=", False)])
        self.assertFalse(shared.checklist_item_ids)

    def test_r4_new_lead_starts_in_team_pipeline_with_lines(self):
        lead = self._lead()
        self.assertEqual(lead.stage_id, self.stage["reception"])
        self.assertEqual(
            set(lead.checklist_line_ids.mapped("name")), set(self.stage["reception"].checklist_item_ids.mapped("name"))
        )
        self.assertTrue(lead.checklist_blocked)
        self.assertLess(lead.checklist_progress, 100)

    def test_r4_gate_form_write_refused_names_items_and_lead(self):
        lead = self._lead(name="Blocked Deal")
        with self.assertRaises(ValidationError) as ctx:
            with Form(lead.with_user(self.consultant)) as form:
                form.stage_id = self.stage["needs_analysis"]
        message = str(ctx.exception)
        self.assertIn("Blocked Deal", message)
        self.assertIn("Company presented (R4.1)", message)
        self.assertNotIn("Contact details recorded", message, "an automatic item already done does not block")
        self.assertEqual(lead.stage_id, self.stage["reception"])

    def test_r4_gate_kanban_drag_rpc_write_as_consultant(self):
        """A kanban drag and an RPC call are both a write of stage_id by the user."""
        lead = self._lead()
        with self.assertRaises(ValidationError) as ctx:
            lead.with_user(self.consultant).write({"stage_id": self.stage["needs_analysis"].id})
        self.assertIn("Company presented", str(ctx.exception))
        lead._checklist_tick_manual_items(self.stage["reception"])
        lead.with_user(self.consultant).write({"stage_id": self.stage["needs_analysis"].id})
        self.assertEqual(lead.stage_id, self.stage["needs_analysis"])
        # Skipping a stage passes it: needs analysis' required items block.
        with self.assertRaises(ValidationError) as ctx:
            lead.with_user(self.consultant).write({"stage_id": self.stage["proposal"].id})
        for name in ("Budget recorded", "Decision maker identified", "Products presented"):
            self.assertIn(name, str(ctx.exception))

    def test_r4_gate_multi_record_write_refuses_all(self):
        ready = self._lead(name="Ready Deal")
        ready._checklist_tick_manual_items(self.stage["reception"])
        blocked = self._lead(name="Unready Deal")
        leads = ready | blocked
        with self.assertRaises(ValidationError) as ctx:
            leads.with_user(self.consultant).write({"stage_id": self.stage["needs_analysis"].id})
        self.assertIn("Unready Deal", str(ctx.exception))
        self.assertNotIn("Ready Deal", str(ctx.exception).replace("Unready Deal", ""))
        self.assertEqual(ready.stage_id, self.stage["reception"], "nothing moved")

    def test_r4_gate_import_refused_and_nothing_lost(self):
        lead = self._lead(name="Imported Move")
        xmlid = lead.with_user(self.env.ref("base.user_admin")).export_data(["id"])["datas"][0][0]
        result = (
            self.env["crm.lead"]
            .with_user(self.consultant)
            .load(["id", "stage_id/.id"], [[xmlid, str(self.stage["needs_analysis"].id)]])
        )
        self.assertFalse(any(result["ids"] or []))
        self.assertIn("Company presented", " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(lead.stage_id, self.stage["reception"])
        # A new lead imported straight into a later stage passes the stages before it.
        result = (
            self.env["crm.lead"]
            .with_user(self.consultant)
            .load(
                ["name", "type", "team_id/.id", "stage_id/.id"],
                [["Imported New", "opportunity", str(self.team.id), str(self.stage["presentation"].id)]],
            )
        )
        self.assertFalse(any(result["ids"] or []))
        self.assertIn("Budget recorded", " ".join(m["message"] for m in result["messages"]))
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Imported New")]))

    def test_r4_backward_moves_allowed(self):
        lead = self._lead()
        lead._checklist_advance_to_step("needs_analysis")
        self.assertEqual(lead.stage_id, self.stage["needs_analysis"])
        lead.with_user(self.consultant).write({"stage_id": self.stage["reception"].id})
        self.assertEqual(lead.stage_id, self.stage["reception"])

    def test_r4_automatic_items_tick_themselves(self):
        lead = self._lead()
        lead._checklist_advance_to_step("needs_analysis")
        budget_line = lead.checklist_line_ids.filtered(lambda ln: ln.name == "Budget recorded")
        self.assertTrue(budget_line.is_automatic)
        self.assertFalse(budget_line.done)
        lead.with_user(self.consultant).budget_amount = 12000
        budget_line.invalidate_recordset(["done"])
        self.assertTrue(budget_line.done)
        with self.assertRaises(UserError):
            budget_line.with_user(self.consultant).write({"checked": True})

    def test_r4_manual_tick_records_who_and_when(self):
        lead = self._lead()
        line = lead.checklist_line_ids.filtered(lambda ln: ln.name == "Company presented")
        with freeze_time("2026-11-02 10:00:00"):
            line.with_user(self.consultant).checked = True
        self.assertEqual(line.checked_user_id, self.consultant)
        self.assertEqual(str(line.checked_date), "2026-11-02 10:00:00")
        self.assertTrue(line.done)
        line.with_user(self.consultant).checked = False
        self.assertFalse(line.checked_user_id)

    def test_r4_override_by_supervisor_logged(self):
        lead = self._lead(name="Urgent Deal")
        wizard = (
            self.env["crm.lead.checklist.override"]
            .with_user(self.supervisor)
            .create(
                {"lead_id": lead.id, "stage_id": self.stage["needs_analysis"].id, "reason": "Customer is in a hurry"}
            )
        )
        self.assertIn("Company presented", wizard.blocking_item_ids.mapped("name"))
        wizard.action_confirm()
        self.assertEqual(lead.stage_id, self.stage["needs_analysis"])
        overridden = lead.checklist_line_ids.filtered("is_overridden")
        self.assertEqual(overridden.item_id, wizard.blocking_item_ids)
        self.assertEqual(overridden.override_user_id, self.supervisor)
        self.assertEqual(set(overridden.mapped("override_reason")), {"Customer is in a hurry"})
        self.assertEqual(lead.checklist_override_count, len(overridden))
        note = lead.message_ids.filtered(lambda m: "Checklist override" in (m.body or ""))
        self.assertTrue(note)
        self.assertIn("Customer is in a hurry", note[0].body)
        self.assertIn("Company presented", note[0].body)

    def test_r4_override_refused_to_consultant(self):
        lead = self._lead()
        with self.assertRaises(AccessError):
            self.env["crm.lead.checklist.override"].with_user(self.consultant).create(
                {"lead_id": lead.id, "stage_id": self.stage["needs_analysis"].id, "reason": "I want to"}
            )
        line = lead.checklist_line_ids[:1]
        with self.assertRaises(AccessError):
            line.with_user(self.consultant).write({"override_reason": "x", "override_date": "2026-11-01 00:00:00"})
        # A supervisor of another team may not either.
        other_supervisor = self.env["res.users"].create(
            {
                "name": "Other Supervisor",
                "login": "scr_other_supervisor",
                "groups_id": [Command.set(self.env.ref("sales_consultant_regulation.group_supervisor").ids)],
            }
        )
        self.env["crm.lead"].browse(lead.id).user_id = other_supervisor
        wizard = (
            self.env["crm.lead.checklist.override"]
            .with_user(other_supervisor)
            .create({"lead_id": lead.id, "stage_id": self.stage["needs_analysis"].id, "reason": "mine"})
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(self.env["crm.lead"].browse(lead.id).stage_id, self.stage["reception"])

    def test_r4_6_won_requires_contract_step(self):
        lead = self._lead()
        self._ready_for_needs_analysis_exit(lead)
        order = self._order(opportunity_id=lead.id, **self.PROPOSAL)
        order.action_quotation_sent()
        lead._checklist_advance_to_step("contract")
        self.assertEqual(lead.stage_id, self.stage["contract"])
        with self.assertRaises(ValidationError) as ctx:
            lead.with_user(self.consultant).action_set_won()
        self.assertIn("Contract reviewed and order confirmed", str(ctx.exception))
        self.assertIn("Closing technique recorded", str(ctx.exception))
        # Review, sign, confirm; record the closing technique; then won passes.
        order._review_tick_manual_items()
        order.with_user(self.consultant).signed_contract = PDF
        order.with_user(self.supervisor).action_review_pass()
        order.with_user(self.consultant).action_confirm()
        lead.with_user(self.consultant).closing_technique = "assumptive"
        lead.with_user(self.consultant).action_set_won()
        self.assertEqual(lead.stage_id, self.stage["won"])

    def test_unregulated_team_behaves_as_plain_odoo(self):
        stages = self.env["crm.stage"].search([("team_id", "=", False)])
        lead = self.env["crm.lead"].create({"name": "Free Lead", "type": "opportunity", "team_id": self.free_team.id})
        self.assertFalse(lead.checklist_line_ids)
        lead.write({"stage_id": stages[-1].id})
        self.assertEqual(lead.stage_id, stages[-1])
        self.assertEqual(lead.checklist_progress, 100)

    def test_r4_team_sees_its_own_pipeline(self):
        lead = self._lead()
        own = self.env["crm.stage"].browse([stage.id for stage in self.stage.values()])
        self.assertEqual(lead.regulation_stage_ids, own)
        # The kanban of the consultant's regulated team shows its pipeline, not the shared stages.
        Lead = self.env["crm.lead"].with_user(self.consultant)
        columns = Lead._read_group_stage_ids(self.env["crm.stage"], [])
        self.assertEqual(columns, own.sorted())
        shared = self.env["crm.stage"].search([("team_id", "=", False)], limit=1)
        with_shared = Lead.with_context(default_team_id=self.team.id)._read_group_stage_ids(shared, [])
        self.assertEqual(with_shared, (own | shared).sorted(), "a stage holding leads stays visible")
        # Another team keeps Odoo's columns.
        free_columns = Lead.with_context(default_team_id=self.free_team.id)._read_group_stage_ids(
            self.env["crm.stage"], []
        )
        self.assertFalse(free_columns & own)

    def test_r4_new_item_reaches_leads_in_stage(self):
        lead = self._lead()
        item = self.env["crm.stage.checklist.item"].create(
            {"name": "Visitor badge returned", "stage_id": self.stage["reception"].id, "clause": "R4.1"}
        )
        self.assertIn(item, lead.checklist_line_ids.item_id)

    def test_r4_invalid_automatic_check_refused(self):
        with self.assertRaises(ValidationError):
            self.env["crm.stage.checklist.item"].create(
                {"name": "Bad", "stage_id": self.stage["reception"].id, "check_domain": "[('no_such_field', '=', 1)]"}
            )


@tagged("post_install", "-at_install")
class TestContractReview(SalesProcessCase):
    def test_r4_6_contract_review_required_for_consultant(self):
        order = self._order()
        self.assertEqual(len(order.review_line_ids), 6)
        with self.assertRaises(ValidationError) as ctx:
            order.with_user(self.consultant).action_confirm()
        message = str(ctx.exception)
        self.assertIn(order.name, message)
        self.assertIn("contract review passed by a supervisor or manager", message)
        self.assertIn("signed contract", message)
        self.assertEqual(order.state, "draft")
        # The consultant cannot pass their own review.
        order._review_tick_manual_items()
        with self.assertRaises(AccessError):
            order.with_user(self.consultant).action_review_pass()
        # Nor can a supervisor who is the order's own salesperson.
        self.env["sale.order"].browse(order.id).user_id = self.supervisor
        with self.assertRaises(AccessError):
            order.with_user(self.supervisor).action_review_pass()

    def test_r4_6_confirm_after_review_by_another_user(self):
        order = self._order()
        order._review_tick_manual_items()
        with self.assertRaises(ValidationError) as ctx:
            order.with_user(self.supervisor).action_review_pass()
        self.assertIn("Signed contract attached", str(ctx.exception))
        order.with_user(self.consultant).write({"signed_contract": PDF, "signed_contract_filename": "c.pdf"})
        order.with_user(self.supervisor).action_review_pass()
        self.assertEqual(order.review_state, "passed")
        self.assertEqual(order.reviewer_id, self.supervisor)
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.execution_state, "confirmed")

    def test_r4_6_rpc_state_write_is_gated(self):
        order = self._order()
        with self.assertRaises(ValidationError):
            order.with_user(self.consultant).write({"state": "sale"})
        self.assertEqual(order.state, "draft")

    def test_r4_6_online_signature_counts_as_signed(self):
        order = self._order()
        order._review_tick_manual_items()
        order.write({"signature": SIGNATURE, "signed_by": "Buyer"})
        self.assertTrue(order.contract_signed)
        order.with_user(self.manager).action_review_pass()
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_r4_6_review_reset_when_order_changes(self):
        order = self._order(signed_contract=PDF)
        order._review_tick_manual_items()
        order.with_user(self.supervisor).action_review_pass()
        order.order_line[0].with_user(self.consultant).product_uom_qty = 5
        self.assertEqual(order.review_state, "to_review")
        self.assertFalse(order.reviewer_id)
        with self.assertRaises(ValidationError):
            order.with_user(self.consultant).action_confirm()

    def test_r4_6_review_reset_when_a_line_changes_unit_or_order(self):
        """Changing a line's unit of measure (its price follows without being written) or moving a
        line in from another order changes what was reviewed: the review starts over on both
        orders, and the consultant cannot confirm what nobody reviewed."""
        order = self._order(signed_contract=PDF)
        order._review_tick_manual_items()
        order.with_user(self.supervisor).action_review_pass()
        dozen = self.env.ref("uom.product_uom_dozen")
        order.order_line[0].with_user(self.consultant).product_uom = dozen
        self.assertEqual(order.review_state, "to_review")
        with self.assertRaises(ValidationError):
            order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "draft")
        # a line moved in from another order of the consultant
        order._review_tick_manual_items()
        order.with_user(self.supervisor).action_review_pass()
        other = self._order(signed_contract=PDF)
        other._review_tick_manual_items()
        other.with_user(self.supervisor).action_review_pass()
        other.order_line[0].with_user(self.consultant).order_id = order
        self.assertEqual(order.review_state, "to_review")
        self.assertEqual(other.review_state, "to_review")
        with self.assertRaises(ValidationError):
            order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_r4_6_discount_above_limit_needs_supervisor(self):
        self.env.company.regulation_discount_limit = 10
        order = self._order(signed_contract=PDF)
        order.order_line[0].discount = 10
        self.assertFalse(order.discount_approval_required, "exactly the limit is allowed")
        order.order_line[0].discount = 20
        self.assertTrue(order.discount_approval_required)
        order._review_tick_manual_items()
        order.with_user(self.supervisor).action_review_pass()
        with self.assertRaises(ValidationError) as ctx:
            order.with_user(self.consultant).action_confirm()
        self.assertIn("discount", str(ctx.exception))
        with self.assertRaises(AccessError):
            order.with_user(self.consultant).action_approve_discount()
        order.with_user(self.supervisor).action_approve_discount()
        self.assertEqual(order.discount_approved_by_id, self.supervisor)
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_portal_signature_before_review_waits(self):
        order = self._order()
        portal = self.env["res.users"].create(
            {
                "name": "Buyer Portal",
                "login": "scr_portal_buyer",
                "partner_id": self.customer.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        order.write({"signature": SIGNATURE, "signed_by": "Buyer"})
        order.with_user(portal).sudo().action_confirm()
        self.assertEqual(order.state, "draft", "the order waits for its review")
        self.assertTrue(order.signature, "the customer's signature is kept")
        self.assertTrue(order.activity_ids)

    def test_unregulated_order_confirms_as_plain_odoo(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "team_id": self.free_team.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        self.assertFalse(order.review_line_ids)
        order.action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestExecution(SalesProcessCase):
    def _confirmed(self, **vals):
        order = self._order(signed_contract=PDF, **vals)
        order._review_tick_manual_items()
        order.with_user(self.supervisor).action_review_pass()
        order.with_user(self.consultant).action_confirm()
        return order

    def test_r4_7_milestones_and_customer_informed(self):
        order = self._confirmed()
        action = order.with_user(self.consultant).action_execution_handed_over()
        self.assertEqual(order.execution_state, "handed_over")
        self.assertEqual(action["res_model"], "mail.compose.message")
        template = self.env.ref("sales_consultant_regulation.mail_template_execution_progress")
        self.assertEqual(action["context"]["default_template_id"], template.id)
        order.with_user(self.consultant).action_execution_delivery_scheduled()
        order.with_user(self.consultant).action_execution_delivered()
        self.assertEqual(order.execution_state, "delivered")
        self.assertTrue(order.message_ids.filtered(lambda m: "Execution: delivered" in (m.body or "")))
        quotation = self._order()
        with self.assertRaises(UserError):
            quotation.action_execution_handed_over()

    def test_r4_7_late_delivery_activity_once(self):
        with freeze_time("2026-12-01 08:00:00"):
            order = self._confirmed(commitment_date="2026-12-10 08:00:00")
        activity_type = self.env.ref("sales_consultant_regulation.mail_activity_type_late_delivery")
        with freeze_time("2026-12-05 08:00:00"):
            self.env["sale.order"]._cron_late_delivery_activities()
            self.assertFalse(order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))
        with freeze_time("2026-12-12 08:00:00"):
            self.assertTrue(order.delivery_late)
            self.assertIn(order, self.env["sale.order"].search([("delivery_late", "=", True)]))
            self.env["sale.order"]._cron_late_delivery_activities()
            self.env["sale.order"]._cron_late_delivery_activities()
            late = order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            self.assertEqual(len(late), 1)
            self.assertEqual(late.user_id, self.consultant)
            order.with_user(self.consultant).action_execution_handed_over()
            order.with_user(self.consultant).action_execution_delivery_scheduled()
            order.with_user(self.consultant).action_execution_delivered()
            self.assertFalse(order.delivery_late)
            self.assertNotIn(order, self.env["sale.order"].search([("delivery_late", "=", True)]))


@tagged("post_install", "-at_install")
class TestTranslations(SalesProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("zh_TW", "zh_CN"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(["sales_consultant_regulation"], ["zh_TW", "zh_CN"])
        # Items copied onto the team's stages before the languages were loaded: reload them.
        cls.team._apply_regulation_pipeline()

    def test_r4_gate_error_translated(self):
        lead = self._lead(name="繁體商機")
        self.consultant.lang = "zh_TW"
        with self.assertRaises(ValidationError) as ctx:
            lead.with_user(self.consultant).with_context(lang="zh_TW").write(
                {"stage_id": self.stage["needs_analysis"].id}
            )
        message = str(ctx.exception)
        self.assertIn("R4 銷售流程：商機「繁體商機」必須先完成下列必要檢核項目", message)
        item = self.env.ref("sales_consultant_regulation.checklist_item_reception_company")
        self.assertEqual(item.with_context(lang="zh_TW").name, "已介紹公司")
        self.assertEqual(item.with_context(lang="zh_CN").name, "已介绍公司")

    def test_r4_6_confirm_error_translated(self):
        order = self._order()
        with self.assertRaises(ValidationError) as ctx:
            order.with_user(self.consultant).with_context(lang="zh_CN").action_confirm()
        self.assertIn("R4.6 合同审查", str(ctx.exception))
