# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, is_html_empty

from ..tools import stage_gate
from . import regulation_day
from .base import workflow_step
from .sale_regulation import ACKNOWLEDGEMENT_EXEMPT_FIELDS

EXECUTION_STATES = [
    ("none", "Not Confirmed"),
    ("confirmed", "Confirmed"),
    ("handed_over", "Handed to Departments"),
    ("delivery_scheduled", "Delivery Scheduled"),
    ("delivered", "Delivered"),
    ("invoiced", "Invoiced"),
]
REVIEW_RESET_FIELDS = {"order_line", "payment_term_id", "pricelist_id", "partner_id", "commitment_date"}
RETURN_VISIT_BATCH_SIZE = 200
# Orders confirmed longer ago than the return-visit delay plus this many days are not caught up
# (a database that installs the module does not revisit its whole history).
RETURN_VISIT_CATCH_UP_DAYS = 30
SATISFACTION_STATES = [("invited", "Invited"), ("answered", "Answered")]


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

    # R4.4 the written proposal
    proposal_configuration = fields.Html(string="Product Configuration", help="R4.4: the configuration proposed.")
    proposal_service_commitments = fields.Html(string="Service Commitments", help="R4.4: what the company commits to.")
    proposal_price_structure = fields.Html(string="Price Structure", help="R4.4: how the price is built.")
    proposal_complete = fields.Boolean(
        compute="_compute_proposal_complete",
        store=True,
        help="R4.4: the written proposal has its product configuration, price structure, service "
        "commitments and delivery date; a regulated quotation is sent only then.",
    )

    # R4.6 / R2.4 contract review
    review_line_ids = fields.One2many("sale.order.checklist.line", "order_id", string="Contract Review")
    review_state = fields.Selection(
        [("to_review", "To Review"), ("passed", "Review Passed")],
        default="to_review",
        required=True,
        copy=False,
        tracking=True,
        readonly=True,
    )
    reviewer_id = fields.Many2one("res.users", copy=False, readonly=True, tracking=True)
    review_date = fields.Datetime(copy=False, readonly=True)
    signed_contract = fields.Binary(attachment=True, copy=False, help="The contract signed by the customer (R4.6).")
    signed_contract_filename = fields.Char(copy=False)
    contract_signed = fields.Boolean(
        compute="_compute_contract_signed", help="A signed contract is attached or the customer signed online."
    )
    discount_max = fields.Float(compute="_compute_discount_max", digits="Discount")
    discount_limit = fields.Float(related="company_id.regulation_discount_limit")
    discount_approval_required = fields.Boolean(compute="_compute_discount_max")
    discount_approved_by_id = fields.Many2one("res.users", copy=False, readonly=True, tracking=True)
    discount_approved_max = fields.Float(copy=False, readonly=True, digits="Discount")

    # R4.7 execution
    handed_over_date = fields.Datetime(string="Handed to Departments", copy=False, readonly=True)
    delivery_scheduled_date = fields.Datetime(string="Delivery Scheduled On", copy=False, readonly=True)
    delivered_date = fields.Datetime(string="Delivered On", copy=False, readonly=True)
    execution_state = fields.Selection(
        EXECUTION_STATES, compute="_compute_execution_state", store=True, string="Execution"
    )
    delivery_late = fields.Boolean(compute="_compute_delivery_late", search="_search_delivery_late")

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

    # R7.1 split credit
    consultant_share_ids = fields.One2many(
        "sale.order.consultant.share",
        "order_id",
        string="Consultant Shares",
        copy=True,
        help="R7.1: how the credit of this order is shared between consultants; totals 100 %. "
        "After confirmation only a supervisor may change it.",
    )
    consultant_share_total = fields.Float(
        compute="_compute_consultant_share_total", store=True, string="Shared (%)", digits=(5, 2)
    )

    @api.depends("consultant_share_ids.percent")
    def _compute_consultant_share_total(self):
        for order in self:
            order.consultant_share_total = sum(order.consultant_share_ids.mapped("percent"))

    @api.constrains("consultant_share_total")
    def _check_consultant_share_total(self):
        for order in self:
            if order.consultant_share_ids and float_compare(order.consultant_share_total, 100.0, 2):
                raise ValidationError(
                    self.env._(
                        'R7.1 split credit: the consultant shares of "%(order)s" total %(total)s %%; '
                        "they must total 100 %%.",
                        order=order.display_name,
                        total=order.consultant_share_total,
                    )
                )

    @api.depends(
        "proposal_configuration", "proposal_price_structure", "proposal_service_commitments", "commitment_date"
    )
    def _compute_proposal_complete(self):
        for order in self:
            order.proposal_complete = not order._proposal_missing_parts()

    def _proposal_missing_parts(self):
        """R4.4: the parts of the written proposal this order still lacks, as labels."""
        self.ensure_one()
        missing = [
            self._fields[name]._description_string(self.env)
            for name in ("proposal_configuration", "proposal_price_structure", "proposal_service_commitments")
            if is_html_empty(self[name])
        ]
        if not self.commitment_date:
            missing.append(self.env._("Delivery Time (the committed delivery date)"))
        return missing

    def _check_proposal_parts(self):
        """R4.4: a regulated quotation is sent only as a complete written proposal."""
        problems = []
        for order in self.filtered("regulation_enabled"):
            missing = order._proposal_missing_parts()
            if missing:
                problems.append(
                    self.env._(
                        'R4.4 written proposal: the quotation "%(order)s" cannot be sent; it still needs: %(missing)s.',
                        order=order.display_name,
                        missing=", ".join(missing),
                    )
                )
        if problems:
            raise ValidationError("\n".join(problems))

    def action_quotation_send(self):
        self.filtered(lambda o: o.state in ("draft", "sent"))._check_proposal_parts()
        return super().action_quotation_send()

    @api.depends("signed_contract", "signature")
    def _compute_contract_signed(self):
        for order in self:
            order.contract_signed = bool(order.signed_contract or order.signature)

    @api.depends("order_line.discount", "order_line.display_type", "company_id.regulation_discount_limit")
    def _compute_discount_max(self):
        for order in self:
            discounts = [line.discount for line in order.order_line if not line.display_type]
            order.discount_max = max(discounts, default=0.0)
            order.discount_approval_required = bool(
                order.regulation_enabled
                and stage_gate.exceeds_limit(discounts, order.company_id.regulation_discount_limit)
            )

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

    # ------------------------------------------------------------------ contract review (R4.6)

    def _review_ensure_lines(self):
        orders = self.filtered(lambda o: o.regulation_enabled and o.state in ("draft", "sent"))
        if not orders:
            return
        items = self.env["crm.stage.checklist.item"].search([("scope", "=", "contract_review")])
        if not items:
            return
        existing = {(line.order_id.id, line.item_id.id) for line in orders.review_line_ids}
        vals_list = [
            {"order_id": order.id, "item_id": item.id}
            for order in orders
            for item in items
            if (order.id, item.id) not in existing
        ]
        if vals_list:
            self.env["sale.order.checklist.line"].create(vals_list)

    @workflow_step
    def _review_tick_manual_items(self):
        """Tick every manual review item (demo data and tests)."""
        self._review_ensure_lines()
        self.review_line_ids.filtered(lambda line: not line.is_automatic and not line.checked).write({"checked": True})

    def _review_missing_items(self):
        self.ensure_one()
        required = self.review_line_ids.filtered("required")
        return required - required._done_lines()

    def _confirmation_blockers(self):
        """What a regulated order still lacks before it may be confirmed (R4.6, R2.4)."""
        self.ensure_one()
        missing = []
        if self.review_state != "passed" or not self.reviewer_id:
            missing.append(self.env._("a contract review passed by a supervisor or manager"))
        elif self.reviewer_id == self.user_id:
            missing.append(self.env._("a reviewer other than the order's own salesperson"))
        missing.extend(
            self.env._("review item: %(item)s", item=line.item_id._blocking_label())
            for line in self._review_missing_items()
        )
        if not self.contract_signed:
            missing.append(self.env._("a signed contract attached, or the customer's online signature"))
        if self.discount_approval_required and (
            not self.discount_approved_by_id or self.discount_approved_max < self.discount_max
        ):
            missing.append(
                self.env._(
                    "a supervisor's approval of the %(discount)s%% discount (limit %(limit)s%%)",
                    discount=self.discount_max,
                    limit=self.discount_limit,
                )
            )
        return missing

    def _check_confirmation_allowed(self):
        problems = []
        for order in self.filtered("regulation_enabled"):
            missing = order._confirmation_blockers()
            if missing:
                listed = "\n".join(f"  - {m}" for m in missing)
                problems.append(
                    self.env._(
                        'R4.6 contract review: the order "%(order)s" cannot be confirmed; it still needs:\n%(missing)s',
                        order=order.display_name,
                        missing=listed,
                    )
                )
        if problems:
            raise ValidationError("\n\n".join(problems))

    def action_confirm(self):
        self.filtered("regulation_enabled")._regulation_try_lock(
            self.env._("R4.6: this quotation is being confirmed by someone else; try again in a moment."), "confirm"
        )
        # A customer signing online (portal) before the review is done: keep the signature,
        # leave the order for the reviewer instead of failing the customer's page.
        if self.env.user.share or self.env.user._is_public():
            waiting = self.filtered(lambda o: o.regulation_enabled and o._confirmation_blockers())
            for order in waiting:
                order.message_post(
                    body=self.env._("The customer signed online; the order waits for its contract review (R4.6)."),
                    subtype_xmlid="mail.mt_note",
                )
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Contract review, then confirm"),
                    user_id=order.user_id.id or self.env.uid,
                )
            return super(SaleOrder, self - waiting).action_confirm() if self - waiting else True
        return super().action_confirm()

    def _check_reviewer(self, what):
        user = self.env.user
        if not user.has_group("sales_consultant_regulation.group_supervisor"):
            raise AccessError(self.env._("Only a supervisor or a manager may %(what)s (R4.6).", what=what))
        for order in self:
            # sudo: who shares the order's credit, to keep beneficiaries from approving their own deal
            if order.user_id == user or user in order.sudo().consultant_share_ids.user_id:
                raise AccessError(
                    self.env._(
                        'You are the salesperson of "%(order)s": another supervisor or manager must %(what)s.',
                        order=order.display_name,
                        what=what,
                    )
                )

    @workflow_step
    def action_review_pass(self):
        self._check_reviewer(self.env._("pass a contract review"))
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._("Only quotations are reviewed."))
            order._review_ensure_lines()
            missing = order._review_missing_items()
            if missing:
                listed = "\n".join(f"  - {line.item_id._blocking_label()}" for line in missing)
                raise ValidationError(
                    self.env._(
                        'The contract review of "%(order)s" cannot pass; these items are not done:\n%(items)s',
                        order=order.display_name,
                        items=listed,
                    )
                )
        # sudo: review fields are readonly for consultants; the reviewer's rights were checked above
        self.sudo().write({"review_state": "passed", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()})
        return True

    def action_review_reset(self):
        self._review_reset(self.env._("reset by %(user)s", user=self.env.user.name))
        return True

    @workflow_step
    def _review_reset(self, why):
        passed = self.filtered(lambda o: o.review_state == "passed" and o.state in ("draft", "sent"))
        # sudo: resetting only lowers the order's status; anyone who may edit the order may do it
        passed.sudo().write({"review_state": "to_review", "reviewer_id": False, "review_date": False})
        for order in passed:
            order.message_post(
                body=self.env._("Contract review reset: %(why)s.", why=why), subtype_xmlid="mail.mt_note"
            )

    @workflow_step
    def action_approve_discount(self):
        self._check_reviewer(self.env._("approve a discount above the limit"))
        for order in self:
            # sudo: approval fields are readonly for consultants; rights checked above
            order.sudo().write({"discount_approved_by_id": self.env.uid, "discount_approved_max": order.discount_max})
        return True

    # ------------------------------------------------------------------ execution (R4.7)

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

    # ------------------------------------------------------------------ split credit (R7.1)

    def _consultant_share_summary(self):
        self.ensure_one()
        return ", ".join(
            f"{share.user_id.name} {share.percent:g}%" for share in self.sudo().consultant_share_ids.sorted("id")
        )

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

    # ------------------------------------------------------------------ customers (R3)

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

    # ------------------------------------------------------------------ return visits (R3.5, R4.8)

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
