# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R4.7 on orders: the execution milestones, the customer kept informed, and late deliveries
followed up."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .base import workflow_step

EXECUTION_STATES = [
    ("none", "Not Confirmed"),
    ("confirmed", "Confirmed"),
    ("handed_over", "Handed to Departments"),
    ("delivery_scheduled", "Delivery Scheduled"),
    ("delivered", "Delivered"),
    ("invoiced", "Invoiced"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # R4.7 execution
    handed_over_date = fields.Datetime(string="Handed to Departments", copy=False, readonly=True)

    delivery_scheduled_date = fields.Datetime(string="Delivery Scheduled On", copy=False, readonly=True)

    delivered_date = fields.Datetime(string="Delivered On", copy=False, readonly=True)

    execution_state = fields.Selection(
        EXECUTION_STATES, compute="_compute_execution_state", store=True, string="Execution"
    )

    delivery_late = fields.Boolean(compute="_compute_delivery_late", search="_search_delivery_late")

    @api.depends("state", "handed_over_date", "delivery_scheduled_date", "delivered_date", "invoice_status")
    def _compute_execution_state(self):
        for order in self:
            if order.state != "sale":
                order.execution_state = "none"
            elif order.invoice_status == "invoiced" and order.delivered_date:
                order.execution_state = "invoiced"
            elif order.delivered_date:
                order.execution_state = "delivered"
            elif order.delivery_scheduled_date:
                order.execution_state = "delivery_scheduled"
            elif order.handed_over_date:
                order.execution_state = "handed_over"
            else:
                order.execution_state = "confirmed"

    @api.depends("commitment_date", "delivered_date", "state")
    def _compute_delivery_late(self):
        now = fields.Datetime.now()
        for order in self:
            order.delivery_late = bool(
                order.state == "sale"
                and order.commitment_date
                and not order.delivered_date
                and order.commitment_date < now
            )

    def _search_delivery_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = [
            ("state", "=", "sale"),
            ("commitment_date", "<", fields.Datetime.now()),
            ("delivered_date", "=", False),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", "&", *domain]

    @workflow_step
    def _execution_step(self, field, label):
        for order in self:
            if order.state != "sale":
                raise UserError(self.env._("Only confirmed orders are executed (R4.7)."))
        self.write({field: fields.Datetime.now()})
        for order in self:
            order.message_post(
                body=Markup("<b>%s</b>") % self.env._("Execution: %(step)s (R4.7)", step=label),
                subtype_xmlid="mail.mt_note",
            )
        return self._execution_inform_customer()

    def _execution_inform_customer(self):
        """Open the composer with the progress template so the consultant keeps the customer
        informed (R4.7)."""
        if len(self) != 1:
            return True
        template = self.env.ref(
            "sales_consultant_regulation.mail_template_execution_progress", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "sale.order",
                "default_res_ids": self.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
            },
        }

    def action_execution_handed_over(self):
        return self._execution_step("handed_over_date", self.env._("handed to the departments concerned"))

    def action_execution_delivery_scheduled(self):
        return self._execution_step("delivery_scheduled_date", self.env._("delivery scheduled"))

    def action_execution_delivered(self):
        return self._execution_step("delivered_date", self.env._("delivered"))

    @api.model
    def _cron_late_delivery_activities(self):
        """R4.7: a regulated order past its committed delivery date and not delivered gets one
        activity for its salesperson; running twice adds nothing."""
        activity_type = self.env.ref("sales_consultant_regulation.mail_activity_type_late_delivery")
        late = self.search([("delivery_late", "=", True), ("team_id.regulation_enabled", "=", True)])
        if not late:
            return
        flagged = set(
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "in", late.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        for order in late:
            if order.id in flagged:
                continue
            order.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Committed delivery date passed"),
                note=self.env._(
                    "The committed delivery date %(date)s has passed and the order is not delivered: "
                    "tell the customer and follow up with the departments (R4.7).",
                    date=fields.Datetime.to_string(order.commitment_date),
                ),
                user_id=order.user_id.id or self.env.uid,
            )
