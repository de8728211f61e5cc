# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R3.5 and R4.8 on orders: the return visit and its satisfaction survey, complaints, and the
customer's channel carried to the order."""

import threading
from datetime import datetime, time, timedelta

from odoo import api, fields, models

from . import regulation_day
from .base import workflow_step

RETURN_VISIT_BATCH_SIZE = 200

# Orders confirmed longer ago than the return-visit delay plus this many days are not caught up
# (a database that installs the module does not revisit its whole history).
RETURN_VISIT_CATCH_UP_DAYS = 30

SATISFACTION_STATES = [("invited", "Invited"), ("answered", "Answered")]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # R3.5 / R4.8 return visit and satisfaction
    return_visit_date = fields.Date(
        string="Return Visit Scheduled On",
        copy=False,
        readonly=True,
        help="When the return visit and the satisfaction survey were scheduled (R3.5, R4.8).",
    )

    # survey answers are read by survey users only: every other reader of an order (a plain
    # salesperson, a Sales Administrator) reads it without them
    satisfaction_input_ids = fields.One2many(
        "survey.user_input",
        "regulation_order_id",
        string="Satisfaction Surveys",
        copy=False,
        groups="survey.group_survey_user",
    )

    satisfaction_state = fields.Selection(
        SATISFACTION_STATES,
        compute="_compute_satisfaction",
        store=True,
        string="Satisfaction Survey",
    )

    satisfaction_answered = fields.Boolean(compute="_compute_satisfaction", store=True)

    satisfaction_score = fields.Float(
        string="Satisfaction (%)",
        compute="_compute_satisfaction",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Score of the customer's answer to the return-visit survey (R4.8).",
    )

    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="sales_consultant_regulation.group_consultant"
    )

    @api.depends("satisfaction_input_ids.state", "satisfaction_input_ids.scoring_percentage")
    def _compute_satisfaction(self):
        for order in self:
            inputs = order.satisfaction_input_ids
            answered = inputs.filtered(lambda i: i.state == "done").sorted(
                lambda i: (i.end_datetime or i.create_date, i.id)
            )
            order.satisfaction_answered = bool(answered)
            order.satisfaction_score = answered[-1].scoring_percentage if answered else 0.0
            order.satisfaction_state = "answered" if answered else ("invited" if inputs else False)

    @api.depends_context("uid")
    def _compute_complaint_count(self):
        counts = dict(
            self.env["crm.customer.complaint"]._read_group([("order_id", "in", self.ids)], ["order_id"], ["__count"])
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def _regulation_channel_from_customer(self):
        """R3.1: a regulated order without a channel takes its customer's, so won revenue is
        analysed by channel even for customers developed without a lead."""
        for order in self.filtered(lambda o: o.regulation_enabled and not o.medium_id and not o.source_id):
            customer = order.partner_id.commercial_partner_id
            if customer.medium_id or customer.source_id:
                order.write({"medium_id": customer.medium_id.id, "source_id": customer.source_id.id})

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        self.partner_id._regulation_note_contact(message)
        return res

    def action_open_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.crm_customer_complaint_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id, "default_partner_id": self.partner_id.id}
        return action

    @api.model
    def _cron_return_visits(self, batch_size=RETURN_VISIT_BATCH_SIZE):
        """R3.5, R4.8: the configured number of days after a regulated order was confirmed, a
        return-visit activity for its consultant and a satisfaction survey for the customer.
        Batches are committed (outside tests); an order is visited once."""
        today = regulation_day.today(self.env)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        scheduled = 0
        for company in self.env["res.company"].search([("regulation_return_visit_days", ">", 0)]):
            until = today - timedelta(days=company.regulation_return_visit_days)
            since = until - timedelta(days=RETURN_VISIT_CATCH_UP_DAYS)
            domain = [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("team_id.regulation_enabled", "=", True),
                ("return_visit_date", "=", False),
                ("date_order", ">=", datetime.combine(since, time.min)),
                ("date_order", "<=", datetime.combine(until, time.max)),
            ]
            while True:
                orders = self.search(domain, order="id", limit=batch_size)
                if not orders:
                    break
                orders._regulation_schedule_return_visit()
                scheduled += len(orders)
                if auto_commit:
                    # batch done: keep it even if a later batch fails or times out (resumable)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        return scheduled

    def _regulation_satisfaction_survey(self):
        self.ensure_one()
        survey = self.company_id.regulation_satisfaction_survey_id or self.env.ref(
            "sales_consultant_regulation.survey_customer_satisfaction", raise_if_not_found=False
        )
        return survey if survey and survey.active else self.env["survey.survey"]

    @workflow_step
    def _regulation_schedule_return_visit(self):
        """Schedule the return visit of each order of self: the consultant's activity, the
        survey invitation (not to blacklisted addresses), the date that marks it done."""
        today = regulation_day.today(self.env)
        activity_type = self.env.ref("sales_consultant_regulation.mail_activity_type_return_visit")
        model_id = self.env["ir.model"]._get_id("sale.order")
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": activity_type.id,
                    "user_id": order.user_id.id,
                    "date_deadline": today + timedelta(days=activity_type.delay_count or 0),
                }
                for order in self
                if order.user_id
            ]
        )
        answers = self.env["survey.user_input"]
        deadline = fields.Datetime.now() + timedelta(days=30)
        for order in self:
            partner = order.partner_id
            survey = order._regulation_satisfaction_survey()
            if not survey or not partner.email_normalized or partner.is_blacklisted:
                continue
            answers |= survey._create_answer(
                partner=partner, check_attempts=False, regulation_order_id=order.id, deadline=deadline
            )
        if answers:
            template = self.env.ref("sales_consultant_regulation.mail_template_return_visit_survey")
            template.send_mail_batch(answers.ids)
        self.write({"return_visit_date": today})
