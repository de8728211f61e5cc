# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import api, fields, models

from .sale_regulation import ACKNOWLEDGEMENT_EXEMPT_FIELDS

REVIEW_RESET_FIELDS = {"order_line", "payment_term_id", "pricelist_id", "partner_id", "commitment_date"}


class SaleOrder(models.Model):
    _inherit = "sale.order"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = (
        "review_state",
        "reviewer_id",
        "review_date",
        "discount_approved_by_id",
        "discount_approved_max",
        "handed_over_date",
        "delivery_scheduled_date",
        "delivered_date",
        "return_visit_date",
    )

    regulation_enabled = fields.Boolean(related="team_id.regulation_enabled", string="Regulated")
    # R10.1: whether this order opens its customer to its salesperson (the customer's readers
    # through deals): set by the system when the order is created or reassigned.
    regulation_reader_granted = fields.Boolean(
        string="Opens Its Customer",
        default=True,
        copy=False,
        readonly=True,
        help="The salesperson may read the customer through this order: a supervisor, a manager or the system "
        "assigned it, or the salesperson could read the customer already (R10.1).",
    )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.regulation"]._check_acknowledged()
        vals_list = self._regulation_grant_on_create(vals_list)
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.state == "sent")._check_proposal_parts()
        orders._regulation_channel_from_customer()
        orders._review_ensure_lines()
        Share = self.env["sale.order.consultant.share"]
        Share._copy_from_leads(orders)
        Share._default_for(orders, "order_id")
        confirmed = orders.filtered(lambda o: o.state == "sale")
        if confirmed:
            confirmed._check_confirmation_allowed()
        return orders

    def write(self, vals):
        if set(vals) - ACKNOWLEDGEMENT_EXEMPT_FIELDS:
            self.env["sale.regulation"]._check_acknowledged()
        confirming = self.browse()
        if vals.get("state") == "sale":
            confirming = self.filtered(lambda o: o.state in ("draft", "sent"))
        sending = self.filtered(lambda o: o.state == "draft") if vals.get("state") == "sent" else self.browse()
        old_users = {order.id: order.user_id for order in self} if "user_id" in vals else {}
        reset = self.browse()
        if REVIEW_RESET_FIELDS & set(vals):
            reset = self.filtered(lambda o: o.review_state == "passed" and o.state in ("draft", "sent"))
        grants = self._regulation_grant_on_write(vals)
        res = super().write(vals)
        self._regulation_apply_grants(grants)
        if "team_id" in vals:
            self._review_ensure_lines()
        if old_users:
            self.env["sale.order.consultant.share"]._follow_salesperson(self, old_users)
        if {"user_id", "team_id"} & set(vals):
            self.env["sale.order.consultant.share"]._default_for(self, "order_id")
        if reset:
            reset._review_reset(self.env._("the order changed after the review"))
        if sending:
            sending._check_proposal_parts()
        if confirming:
            confirming._check_confirmation_allowed()
        if vals.get("state") in ("sale", "cancel") and any(self.mapped("regulation_enabled")):
            # R3.4: a confirmed or cancelled order moves its customer's recent revenue (other
            # teams' orders count at the daily refresh)
            self.env["res.partner"]._regulation_refresh_premium(self.filtered("regulation_enabled").partner_id)
        return res
