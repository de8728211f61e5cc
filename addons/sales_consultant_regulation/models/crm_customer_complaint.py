# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import customer_rules
from . import regulation_day
from .base import workflow_step

STATES = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
]
SEVERITIES = [("low", "Low"), ("normal", "Normal"), ("high", "High"), ("critical", "Critical")]
KINDS = [("complaint", "Complaint"), ("request", "Special Request")]


class CrmCustomerComplaint(models.Model):
    """A customer's complaint or special request (R3.5, R2.3, R4.8): answered within a response
    deadline, resolved within a resolution deadline (hours per severity, set by the company),
    resolved only with the customer's confirmation, escalated to the team's supervisor when a
    deadline passes."""

    _name = "crm.customer.complaint"
    _description = "Customer Complaint or Request"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = (
        "state",
        "acknowledged_date",
        "resolved_date",
        "closed_date",
        "response_escalated_date",
        "resolution_escalated_date",
    )
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.regulation.consultant.mixin"]
    _order = "reported_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="New")
    kind = fields.Selection(KINDS, required=True, default="complaint", tracking=True)
    subject = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, index=True, check_company=True
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        index="btree_not_null",
    )
    product_id = fields.Many2one("product.product", check_company=True)
    supervisor_id = fields.Many2one(related="team_id.user_id", string="Supervisor")
    department_id = fields.Many2one(
        "hr.department",
        string="Passed To",
        tracking=True,
        check_company=True,
        help="The department a special request was passed to (R2.3); the consultant follows it up "
        "until the customer has an answer.",
    )
    severity = fields.Selection(SEVERITIES, required=True, default="normal", tracking=True)
    description = fields.Html()
    resolution = fields.Html(help="What was done for the customer.")
    state = fields.Selection(STATES, required=True, default="new", tracking=True, copy=False, readonly=True)
    reported_date = fields.Datetime(
        string="Reported On", required=True, default=fields.Datetime.now, readonly=True, copy=False
    )
    response_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    resolution_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    acknowledged_date = fields.Datetime(string="Acknowledged On", readonly=True, copy=False)
    resolved_date = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    closed_date = fields.Datetime(string="Closed On", readonly=True, copy=False)
    customer_confirmed = fields.Boolean(tracking=True, copy=False, help="The customer confirmed the resolution.")
    customer_confirmation = fields.Char(
        string="Confirmation", copy=False, help="How and when the customer confirmed (call, email, signature)."
    )
    response_hours = fields.Float(
        compute="_compute_durations", store=True, aggregator="avg", help="Hours from report to acknowledgement."
    )
    resolution_hours = fields.Float(
        compute="_compute_durations", store=True, aggregator="avg", help="Hours from report to resolution."
    )
    response_escalated_date = fields.Datetime(readonly=True, copy=False)
    resolution_escalated_date = fields.Datetime(readonly=True, copy=False)
    response_late = fields.Boolean(compute="_compute_late", store=True, help="Acknowledged after its deadline.")
    resolution_late = fields.Boolean(compute="_compute_late", store=True, help="Resolved after its deadline.")
    is_late = fields.Boolean(compute="_compute_late", store=True, string="Late")
    overdue = fields.Boolean(compute="_compute_overdue", search="_search_overdue", help="An open deadline passed.")

    # ------------------------------------------------------------------ computes

    @api.depends("user_id", "order_id.team_id")
    def _compute_team_id(self):
        for complaint in self:
            complaint.team_id = complaint.order_id.team_id or complaint.user_id.sale_team_id or complaint.team_id

    @api.depends(
        "reported_date",
        "severity",
        "company_id.regulation_complaint_response_hours_low",
        "company_id.regulation_complaint_response_hours_normal",
        "company_id.regulation_complaint_response_hours_high",
        "company_id.regulation_complaint_response_hours_critical",
        "company_id.regulation_complaint_resolution_hours_low",
        "company_id.regulation_complaint_resolution_hours_normal",
        "company_id.regulation_complaint_resolution_hours_high",
        "company_id.regulation_complaint_resolution_hours_critical",
    )
    def _compute_deadlines(self):
        for complaint in self:
            company = complaint.company_id or self.env.company
            severity = complaint.severity or "normal"
            complaint.response_deadline = customer_rules.deadline(
                complaint.reported_date, company[f"regulation_complaint_response_hours_{severity}"]
            )
            complaint.resolution_deadline = customer_rules.deadline(
                complaint.reported_date, company[f"regulation_complaint_resolution_hours_{severity}"]
            )

    @api.depends("reported_date", "acknowledged_date", "resolved_date")
    def _compute_durations(self):
        for complaint in self:
            complaint.response_hours = customer_rules.hours_between(
                complaint.reported_date, complaint.acknowledged_date
            )
            complaint.resolution_hours = customer_rules.hours_between(complaint.reported_date, complaint.resolved_date)

    @api.depends(
        "acknowledged_date",
        "resolved_date",
        "response_deadline",
        "resolution_deadline",
        "response_escalated_date",
        "resolution_escalated_date",
    )
    def _compute_late(self):
        for complaint in self:
            complaint.response_late = bool(
                complaint.response_escalated_date
                or (
                    complaint.acknowledged_date
                    and complaint.response_deadline
                    and complaint.acknowledged_date > complaint.response_deadline
                )
            )
            complaint.resolution_late = bool(
                complaint.resolution_escalated_date
                or (
                    complaint.resolved_date
                    and complaint.resolution_deadline
                    and complaint.resolved_date > complaint.resolution_deadline
                )
            )
            complaint.is_late = complaint.response_late or complaint.resolution_late

    def _compute_overdue(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.overdue = bool(
                customer_rules.escalations_due(
                    complaint.state,
                    now,
                    response_deadline=complaint.response_deadline,
                    resolution_deadline=complaint.resolution_deadline,
                    response_escalated=False,
                    resolution_escalated=False,
                )
            )

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        now = fields.Datetime.now()
        domain = [
            "|",
            "&",
            ("state", "=", "new"),
            ("response_deadline", "<", now),
            "&",
            ("state", "in", customer_rules.COMPLAINT_OPEN_STATES),
            ("resolution_deadline", "<", now),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.onchange("order_id")
    def _onchange_order_id(self):
        if self.order_id:
            self.partner_id = self.order_id.partner_id
            self.user_id = self.order_id.user_id or self.user_id

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id.commercial_partner_id.user_id and not self.order_id:
            self.user_id = self.partner_id.commercial_partner_id.user_id

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._regulation_check_vals(vals, create=True)
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("crm.customer.complaint") or "New"
            state = vals.get("state", "new")
            if state != "new":
                raise ValidationError(self.env._("R3.5: a complaint starts as new."))
            if "reported_date" in vals:
                self._check_reported_date_allowed()
        return super().create(vals_list)

    def write(self, vals):
        self._regulation_check_vals(vals)
        if "reported_date" in vals:
            self._check_reported_date_allowed()
        if "state" in vals:
            vals = dict(vals)
            new_state = vals["state"]
            now = fields.Datetime.now()
            for complaint in self:
                if not customer_rules.complaint_transition_allowed(complaint.state, new_state):
                    raise ValidationError(
                        self.env._(
                            "R3.5: the complaint %(name)s cannot go from %(old)s to %(new)s.",
                            name=complaint.name,
                            old=dict(STATES)[complaint.state],
                            new=dict(STATES)[new_state],
                        )
                    )
            if new_state in ("acknowledged", "in_progress"):
                unacknowledged = self.filtered(lambda c: not c.acknowledged_date)
                if unacknowledged:
                    super(CrmCustomerComplaint, unacknowledged).write({"acknowledged_date": now})
            if new_state == "resolved":
                vals.setdefault("resolved_date", now)
            elif new_state == "closed":
                vals.setdefault("closed_date", now)
            elif new_state == "in_progress":
                # reopened: the resolution is to be confirmed again
                reopened = self.filtered(lambda c: c.state in ("resolved", "closed"))
                if reopened:
                    super(CrmCustomerComplaint, reopened).write(
                        {"resolved_date": False, "closed_date": False, "customer_confirmed": False}
                    )
        res = super().write(vals)
        if vals.get("state") == "resolved" or (
            {"customer_confirmed", "resolution"} & set(vals) and any(c.state in ("resolved", "closed") for c in self)
        ):
            self._check_resolution_confirmed()
        return res

    def _check_reported_date_allowed(self):
        if self.env.su or self.env.user.has_group("sales_consultant_regulation.group_regulation_manager"):
            return
        raise AccessError(self.env._("R3.5: only a regulation manager may change when a complaint was reported."))

    def _check_resolution_confirmed(self):
        for complaint in self.filtered(lambda c: c.state in ("resolved", "closed")):
            missing = []
            if not customer_rules.is_filled(complaint.resolution and Markup(complaint.resolution).striptags()):
                missing.append(self.env._("the resolution"))
            if not complaint.customer_confirmed:
                missing.append(self.env._("the customer's confirmation"))
            if missing:
                raise ValidationError(
                    self.env._(
                        "R3.5: the complaint %(name)s is resolved only with %(missing)s.",
                        name=complaint.name,
                        missing=self.env._(" and ").join(missing),
                    )
                )

    # ------------------------------------------------------------------ actions

    @workflow_step
    def action_acknowledge(self):
        self.write({"state": "acknowledged"})
        return True

    @workflow_step
    def action_start(self):
        self.write({"state": "in_progress"})
        return True

    @workflow_step
    def action_resolve(self):
        self.write({"state": "resolved"})
        return True

    @workflow_step
    def action_close(self):
        self.write({"state": "closed"})
        return True

    @workflow_step
    def action_reopen(self):
        self.write({"state": "in_progress"})
        return True

    # ------------------------------------------------------------------ escalation cron

    @api.model
    @workflow_step
    def _cron_escalate(self):
        """A deadline passed without the complaint being acknowledged or resolved: tell the
        team's supervisor once per deadline (an activity and a note). Returns the number of
        escalations."""
        now = fields.Datetime.now()
        candidates = self.search(
            [
                "|",
                "&",
                "&",
                ("state", "=", "new"),
                ("response_deadline", "<", now),
                ("response_escalated_date", "=", False),
                "&",
                "&",
                ("state", "in", customer_rules.COMPLAINT_OPEN_STATES),
                ("resolution_deadline", "<", now),
                ("resolution_escalated_date", "=", False),
            ]
        )
        activity_type = self.env.ref("sales_consultant_regulation.mail_activity_type_complaint_escalation")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities, count = [], 0
        escalated = defaultdict(self.browse)
        for complaint in candidates:
            due = customer_rules.escalations_due(
                complaint.state,
                now,
                response_deadline=complaint.response_deadline,
                resolution_deadline=complaint.resolution_deadline,
                response_escalated=complaint.response_escalated_date,
                resolution_escalated=complaint.resolution_escalated_date,
            )
            for kind in sorted(due):
                escalated[kind] |= complaint
                count += 1
                supervisor = complaint.team_id.user_id
                if supervisor:
                    activities.append(
                        {
                            "res_model_id": model_id,
                            "res_id": complaint.id,
                            "activity_type_id": activity_type.id,
                            "user_id": supervisor.id,
                            "date_deadline": regulation_day.today(self.env),
                            "summary": complaint._escalation_summary(kind, supervisor.lang),
                        }
                    )
        if escalated["response"]:
            escalated["response"].write({"response_escalated_date": now})
        if escalated["resolution"]:
            escalated["resolution"].write({"resolution_escalated_date": now})
        for kind, complaints in escalated.items():
            for complaint in complaints:
                if complaint.team_id.user_id:
                    complaint.message_subscribe(partner_ids=complaint.team_id.user_id.partner_id.ids)
                complaint._message_log(body=complaint._escalation_summary(kind))
        if activities:
            self.env["mail.activity"].create(activities)
        return count

    def _escalation_summary(self, kind, lang=None):
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        if kind == "response":
            return env._("Escalated: %(name)s not acknowledged by its response deadline (R3.5).", name=self.name)
        return env._("Escalated: %(name)s not resolved by its resolution deadline (R3.5).", name=self.name)

    # ------------------------------------------------------------------ appraisal figures

    @api.model
    def _consultant_figures(self, date_from, date_to, users=None, kinds=("complaint",)):
        """Per consultant, the complaints reported in [date_from, date_to): {user: {"count",
        "resolved", "late", "response_hours", "resolution_hours"}} (averages over the
        acknowledged and the resolved ones), for the appraisal (R6.1, R6.3). Four queries."""
        domain = [("reported_date", ">=", date_from), ("reported_date", "<", date_to), ("kind", "in", list(kinds))]
        if users is not None:
            domain.append(("user_id", "in", users.ids))
        figures = defaultdict(
            lambda: {"count": 0, "resolved": 0, "late": 0, "response_hours": 0.0, "resolution_hours": 0.0}
        )
        for user, count in self._read_group(domain, ["user_id"], ["__count"]):
            figures[user]["count"] = count
        for user, count in self._read_group(domain + [("is_late", "=", True)], ["user_id"], ["__count"]):
            figures[user]["late"] = count
        for user, hours in self._read_group(
            domain + [("acknowledged_date", "!=", False)], ["user_id"], ["response_hours:avg"]
        ):
            figures[user]["response_hours"] = hours
        for user, count, hours in self._read_group(
            domain + [("resolved_date", "!=", False)], ["user_id"], ["__count", "resolution_hours:avg"]
        ):
            figures[user]["resolved"] = count
            figures[user]["resolution_hours"] = hours
        return dict(figures)
