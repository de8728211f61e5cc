# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import customer_rules
from .base import workflow_step
from .sale_regulation import CONSULTANT, MANAGER


class SaleRegulationHandover(models.Model):
    """R10.2: when a consultant leaves, a regulation manager hands their customers, leads,
    orders, open activities and confidential documents over to another consultant, and
    archives the leaving user's access. The record keeps what moved, when and by whom."""

    _name = "sale.regulation.handover"
    _description = "Hand-over of a Leaving Consultant"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = (
        "state",
        "date",
        "done_by_id",
        "partner_ids",
        "lead_ids",
        "order_ids",
        "document_ids",
        "complaint_ids",
        "moved_activity_count",
    )
    _inherit = ["mail.thread"]
    _order = "id desc"

    leaving_user_id = fields.Many2one(
        "res.users",
        string="Leaving Consultant",
        required=True,
        domain=[("share", "=", False)],
        tracking=True,
    )
    target_user_id = fields.Many2one(
        "res.users",
        string="Hand Over To",
        required=True,
        domain=[("share", "=", False)],
        tracking=True,
    )
    include_closed = fields.Boolean(
        string="Also Move Closed Deals",
        help="Also move won or lost leads and confirmed or cancelled orders. Left unticked, they keep the leaving "
        "consultant as salesperson, so their past sales stay theirs in appraisals and incentives.",
    )
    archive_user = fields.Boolean(string="Archive the Leaving User", default=True)
    note = fields.Text(help="Why and how the hand-over is made; materials returned.")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], default="draft", required=True, tracking=True, readonly=True, copy=False
    )
    date = fields.Datetime(string="Handed Over On", readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", string="Handed Over By", readonly=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_ids = fields.Many2many(
        "res.partner", "sale_regulation_handover_partner_rel", string="Customers Moved", readonly=True, copy=False
    )
    lead_ids = fields.Many2many(
        "crm.lead", "sale_regulation_handover_lead_rel", string="Leads Moved", readonly=True, copy=False
    )
    order_ids = fields.Many2many(
        "sale.order", "sale_regulation_handover_order_rel", string="Orders Moved", readonly=True, copy=False
    )
    document_ids = fields.Many2many(
        "sale.confidential.document",
        "sale_regulation_handover_document_rel",
        string="Documents Moved",
        readonly=True,
        copy=False,
    )
    complaint_ids = fields.Many2many(
        "crm.customer.complaint",
        "sale_regulation_handover_complaint_rel",
        string="Complaints Moved",
        readonly=True,
        copy=False,
    )
    moved_activity_count = fields.Integer(string="Activities Moved", readonly=True, copy=False)
    partner_count = fields.Integer(compute="_compute_counts", string="Customers")
    lead_count = fields.Integer(compute="_compute_counts", string="Leads")
    order_count = fields.Integer(compute="_compute_counts", string="Orders")
    activity_count = fields.Integer(compute="_compute_counts", string="Activities")
    document_count = fields.Integer(compute="_compute_counts", string="Documents")
    complaint_count = fields.Integer(compute="_compute_counts", string="Open Complaints")

    @api.depends(
        "leaving_user_id",
        "include_closed",
        "state",
        "partner_ids",
        "lead_ids",
        "order_ids",
        "document_ids",
        "complaint_ids",
        "moved_activity_count",
    )
    def _compute_counts(self):
        for handover in self:
            if handover.state == "done":
                moved = {
                    "partners": handover.partner_ids,
                    "leads": handover.lead_ids,
                    "orders": handover.order_ids,
                    "documents": handover.document_ids,
                    "complaints": handover.complaint_ids,
                }
                activities = handover.moved_activity_count
            else:
                moved = handover._candidates()
                activities = len(moved["activities"])
            handover.partner_count = len(moved["partners"])
            handover.lead_count = len(moved["leads"])
            handover.order_count = len(moved["orders"])
            handover.document_count = len(moved["documents"])
            handover.complaint_count = len(moved["complaints"])
            handover.activity_count = activities

    @api.depends("leaving_user_id", "target_user_id")
    def _compute_display_name(self):
        for handover in self:
            handover.display_name = self.env._(
                "%(leaving)s to %(target)s",
                leaving=handover.leaving_user_id.name or "?",
                target=handover.target_user_id.name or "?",
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(handover.state == "done" for handover in self):
            raise UserError(self.env._("A hand-over that was made is kept as the record of what moved (R10.2)."))

    # ------------------------------------------------------------------ business

    def _candidates(self):
        """What the leaving consultant holds, in every company, archived customers included.

        sudo: a hand-over moves everything the leaving user holds, whatever the manager's own
        company selection or rights on other applications' activities."""
        self.ensure_one()
        user = self.leaving_user_id
        env = self.sudo().with_context(active_test=False).env
        if not user:
            return {
                "partners": env["res.partner"],
                "leads": env["crm.lead"],
                "orders": env["sale.order"],
                "activities": env["mail.activity"],
                "documents": env["sale.confidential.document"],
                "allowed_documents": env["sale.confidential.document"],
                "complaints": env["crm.customer.complaint"],
            }
        lead_domain = [("user_id", "=", user.id)]
        order_domain = [("user_id", "=", user.id)]
        if not self.include_closed:
            lead_domain += [("active", "=", True), ("stage_id.is_won", "=", False)]
            order_domain += [("state", "in", ("draft", "sent"))]
        Document = env["sale.confidential.document"]
        return {
            "partners": env["res.partner"].search([("user_id", "=", user.id)]),
            "leads": env["crm.lead"].search(lead_domain),
            "orders": env["sale.order"].search(order_domain),
            "activities": env["mail.activity"].with_context(active_test=True).search([("user_id", "=", user.id)]),
            "documents": Document.search([("owner_id", "=", user.id)]),
            "allowed_documents": Document.search([("allowed_user_ids", "in", user.ids)]),
            # R3.5: complaints still being handled keep their deadlines with the new consultant.
            "complaints": env["crm.customer.complaint"].search(
                [("user_id", "=", user.id), ("state", "in", customer_rules.COMPLAINT_OPEN_STATES)]
            ),
        }

    def _check_hand_over(self):
        self.ensure_one()
        user = self.env.user
        if not self.env.su and not user.has_group(MANAGER):
            raise AccessError(self.env._("Only a regulation manager hands a consultant's work over (R10.2)."))
        if self.state == "done":
            raise UserError(self.env._("This hand-over is done already."))
        leaving, target = self.leaving_user_id, self.target_user_id
        if leaving == target:
            raise UserError(self.env._("Hand the work over to another user than the one who leaves."))
        if leaving == user:
            raise UserError(self.env._("You cannot hand over your own work; ask another regulation manager."))
        if self.archive_user and leaving.has_group("base.group_erp_manager"):
            raise UserError(
                self.env._(
                    "%(user)s administers users; an administrator archives them in Settings, not a hand-over.",
                    user=leaving.name,
                )
            )
        if not target.active or not target.has_group(CONSULTANT):
            raise UserError(
                self.env._(
                    "%(user)s cannot take the work over: choose an active user of the Sales Regulation groups.",
                    user=target.name,
                )
            )

    @workflow_step
    def action_hand_over(self):
        """Move everything, archive the leaving user, record what moved (R10.2)."""
        for handover in self:
            handover._check_hand_over()
            handover._hand_over()
        return True

    def _hand_over(self):
        self.ensure_one()
        leaving, target = self.leaving_user_id, self.target_user_id
        moved = self._candidates()
        note = self.env._(
            "Handed over from %(leaving)s to %(target)s by %(user)s (R10.2).",
            leaving=leaving.name,
            target=target.name,
            user=self.env.user.name,
        )
        # Leads and orders keep their team: only the salesperson changes.
        for records in (moved["leads"], moved["orders"]):
            by_team = defaultdict(lambda records=records: records.browse())
            for record in records:
                by_team[record.team_id] |= record
            for team, team_records in by_team.items():
                team_records.write({"user_id": target.id, "team_id": team.id})
        moved["partners"].write({"user_id": target.id})
        moved["activities"].write({"user_id": target.id})
        moved["documents"].write({"owner_id": target.id})
        moved["complaints"].write({"user_id": target.id})
        moved["allowed_documents"].write({"allowed_user_ids": [Command.unlink(leaving.id)]})
        # The leaving user's partner no longer follows, and is no longer mailed about, the
        # customers, leads and orders handed over.
        for records in (
            moved["partners"],
            moved["leads"],
            moved["orders"],
            moved["documents"],
            moved["complaints"],
        ):
            if records:
                records.message_unsubscribe(partner_ids=leaving.partner_id.ids)
        for records in (moved["partners"], moved["documents"]):
            if records:
                records._message_log_batch(bodies=dict.fromkeys(records.ids, note))
        if self.archive_user:
            # sudo: archiving the leaving user is part of R10.2; regulation managers do not
            # otherwise administer users
            leaving.sudo().crm_team_member_ids.write({"active": False})
            leaving.sudo().write({"active": False})
        self.write(
            {
                "state": "done",
                "date": fields.Datetime.now(),
                "done_by_id": self.env.uid,
                "partner_ids": [Command.set(moved["partners"].ids)],
                "lead_ids": [Command.set(moved["leads"].ids)],
                "order_ids": [Command.set(moved["orders"].ids)],
                "document_ids": [Command.set(moved["documents"].ids)],
                "complaint_ids": [Command.set(moved["complaints"].ids)],
                "moved_activity_count": len(moved["activities"]),
            }
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                note,
                Markup("").join(
                    Markup("<li>%s</li>") % line
                    for line in (
                        self.env._("%(count)s customers", count=len(moved["partners"])),
                        self.env._("%(count)s leads", count=len(moved["leads"])),
                        self.env._("%(count)s orders", count=len(moved["orders"])),
                        self.env._("%(count)s open activities", count=len(moved["activities"])),
                        self.env._("%(count)s confidential documents", count=len(moved["documents"])),
                        self.env._("%(count)s open complaints", count=len(moved["complaints"])),
                        self.env._("user archived") if self.archive_user else self.env._("user kept active"),
                    )
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _open_records(self, model, records, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", records.ids)],
            "context": {"active_test": False},
        }

    def action_open_partners(self):
        self.ensure_one()
        return self._open_records("res.partner", self.partner_ids, self.env._("Customers Moved"))

    def action_open_leads(self):
        self.ensure_one()
        return self._open_records("crm.lead", self.lead_ids, self.env._("Leads Moved"))

    def action_open_orders(self):
        self.ensure_one()
        return self._open_records("sale.order", self.order_ids, self.env._("Orders Moved"))

    def action_open_complaints(self):
        self.ensure_one()
        return self._open_records("crm.customer.complaint", self.complaint_ids, self.env._("Complaints Moved"))

    def action_open_documents(self):
        self.ensure_one()
        return self._open_records("sale.confidential.document", self.document_ids, self.env._("Documents Moved"))
