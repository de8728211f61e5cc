# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from . import regulation_day
from .base import WORKFLOW_ACTION, workflow_step

MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"
LOCKED_STATES = ("approved", "paid")
TOTAL_FIELDS = {
    "commission": "commission_total",
    "accelerator": "accelerator_total",
    "bonus": "bonus_total",
    "clawback": "clawback_total",
    "adjustment": "adjustment_total",
}
SYSTEM_FIELDS = {
    "plan_id",
    "period_id",
    "user_id",
    "team_id",
    "state",
    "amount_total",
    "margin_total",
    "completion_rate",
    "multiplier",
    "bonus_percent",
    "bonus_base",
    "total",
    "computed_at",
    "confirmed_date",
    "dispute_reason",
    "approved_by_id",
    "approved_date",
    "payment_reference",
    "paid_date",
    "clawback_carried",
    *TOTAL_FIELDS.values(),
}


class SaleIncentiveStatement(models.Model):
    """A consultant's incentive statement for a plan and a period (R6.4, R7.1): commission
    lines traceable to each order or invoice line, the accelerator and bonus on the period
    total, clawbacks of earlier periods and manual adjustments.

    Flow: draft → confirmed (the consultant sees it) → disputed (the consultant gives a reason)
    → approved (manager) → paid (payment reference). Approved and paid statements are locked:
    no write, no recompute; what changes after (a cancelled order, a refund) is clawed back in
    the consultant's next open statement."""

    _name = "sale.incentive.statement"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Incentive Statement"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = tuple(sorted(SYSTEM_FIELDS))
    _order = "date_from desc, plan_id, user_id"
    _rec_names_search = ["user_id", "period_id", "plan_id"]

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one(
        "sale.incentive.plan", required=True, ondelete="restrict", index=True, readonly=True, check_company=True
    )
    period_id = fields.Many2one(
        "sale.appraisal.period", required=True, ondelete="restrict", index=True, readonly=True, check_company=True
    )
    date_from = fields.Date(related="period_id.date_from", store=True)
    date_to = fields.Date(related="period_id.date_to", store=True)
    user_id = fields.Many2one("res.users", string="Consultant", required=True, index=True, readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, readonly=True, check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id", store=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("disputed", "Disputed"),
            ("approved", "Approved"),
            ("paid", "Paid"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    line_ids = fields.One2many("sale.incentive.statement.line", "statement_id", string="Lines", readonly=True)
    line_count = fields.Integer(compute="_compute_line_count")
    amount_total = fields.Monetary(string="Sales", readonly=True, help="The period's sales credited to the consultant.")
    margin_total = fields.Monetary(string="Profit", readonly=True)
    completion_rate = fields.Float(string="Target Completion (%)", readonly=True, digits=(16, 2))
    multiplier = fields.Float(string="Accelerator", readonly=True, default=1.0, digits=(4, 2))
    bonus_percent = fields.Float(string="Bonus (%)", readonly=True, digits=(5, 3))
    bonus_base = fields.Selection([("amount", "Sales Amount"), ("margin", "Sales Profit")], readonly=True)
    commission_total = fields.Monetary(string="Commission", readonly=True, aggregator="sum")
    accelerator_total = fields.Monetary(string="Accelerator Amount", readonly=True, aggregator="sum")
    bonus_total = fields.Monetary(string="Bonus", readonly=True, aggregator="sum")
    clawback_total = fields.Monetary(string="Clawbacks", readonly=True, aggregator="sum")
    adjustment_total = fields.Monetary(string="Adjustments", readonly=True, aggregator="sum")
    total = fields.Monetary(readonly=True, aggregator="sum")
    computed_at = fields.Datetime(string="Last Computed", readonly=True, copy=False)
    confirmed_date = fields.Datetime(readonly=True, copy=False)
    dispute_reason = fields.Text(readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    payment_reference = fields.Char(readonly=True, copy=False, tracking=True)
    paid_date = fields.Date(readonly=True, copy=False)
    note = fields.Text()
    is_locked = fields.Boolean(compute="_compute_is_locked")

    _sql_constraints = [
        (
            "user_plan_period_unique",
            "UNIQUE(user_id, plan_id, period_id)",
            "A consultant has one statement per plan and period.",
        ),
    ]

    @api.depends("plan_id.name", "period_id.name", "user_id.name")
    def _compute_name(self):
        for statement in self:
            statement.name = f"{statement.plan_id.name} {statement.period_id.name} - {statement.user_id.name}"

    def _compute_line_count(self):
        counts = dict(
            self.env["sale.incentive.statement.line"]._read_group(
                [("statement_id", "in", self.ids)], ["statement_id"], ["__count"]
            )
        )
        for statement in self:
            statement.line_count = counts.get(statement, 0)

    @api.depends("state")
    def _compute_is_locked(self):
        for statement in self:
            statement.is_locked = statement.state in LOCKED_STATES

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not WORKFLOW_ACTION.get():
            raise AccessError(
                self.env._(
                    "R6.4: incentive statements are made by the system: use Compute Statements on the plan, not "
                    "create or import."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        names = set(vals)
        if not all(name.startswith(("message_", "activity_")) for name in names):
            locked = self.filtered(lambda s: s.state in LOCKED_STATES)
            paying = (
                self.env.su and names <= {"state", "payment_reference", "paid_date"} and vals.get("state") == "paid"
            )
            if locked and not (paying and all(s.state == "approved" for s in locked)):
                raise UserError(
                    self.env._(
                        'R6.4: the statement "%(statement)s" is %(state)s; it is locked. What changes later is '
                        "clawed back in the next open statement.",
                        statement=locked[0].name,
                        state=locked[0]._state_label(),
                    )
                )
            if not self.env.su and names & SYSTEM_FIELDS:
                raise AccessError(
                    self.env._(
                        "R6.4: a statement's figures and status are computed by the system and changed through its "
                        "buttons (%(fields)s).",
                        fields=", ".join(sorted(names & SYSTEM_FIELDS)),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        for statement in self:
            if statement.state != "draft":
                raise UserError(
                    self.env._('Only draft statements are deleted; "%(statement)s" is not.', statement=statement.name)
                )

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------ rights

    def _check_manager(self, what):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("R6.4: only a regulation manager may %(what)s.", what=what))

    def _check_not_beneficiary(self, what):
        """Approver is not beneficiary (R6.4): nobody decides on the money of their own statement."""
        own = self.filtered(lambda s: s.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    'R6.4: "%(statement)s" is your own statement; another regulation manager must %(what)s.',
                    statement=own[0].name,
                    what=what,
                )
            )

    def _check_states(self, states, what):
        wrong = self.filtered(lambda s: s.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    'R6.4: the statement "%(statement)s" is %(state)s; it cannot be %(what)s.',
                    statement=wrong[0].name,
                    state=wrong[0]._state_label(),
                    what=what,
                )
            )

    # ------------------------------------------------------------------ flow

    def action_recompute(self):
        self._check_manager(self.env._("compute incentive statements"))
        self._check_states(("draft",), self.env._("recomputed"))
        for (plan, period), statements in self.grouped(lambda s: (s.plan_id, s.period_id)).items():
            plan._compute_statements(period, statements.user_id)
        return True

    @workflow_step
    def action_confirm(self):
        self._check_manager(self.env._("confirm incentive statements"))
        self._check_states(("draft",), self.env._("confirmed"))
        # sudo: status fields are the system's; the manager's right was checked above
        self.sudo().write({"state": "confirmed", "confirmed_date": fields.Datetime.now()})
        for statement in self:
            statement.sudo().message_subscribe(partner_ids=statement.user_id.partner_id.ids)
            total = format(statement.total, ",.2f") + " " + statement.currency_id.name
            statement.message_post(
                body=self.env._(
                    "Your incentive statement is ready: %(total)s. Check it, and dispute it with a reason if a line "
                    "is wrong.",
                    total=total,
                ),
                partner_ids=statement.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_dispute(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute the Statement"),
            "res_model": "sale.incentive.statement.dispute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_statement_id": self.id},
        }

    @workflow_step
    def _dispute(self, reason):
        """The consultant disputes their confirmed statement, giving a reason (R6.4)."""
        for statement in self:
            if not self.env.su and statement.user_id != self.env.user:
                raise AccessError(
                    self.env._("R6.4: only %(user)s disputes their statement.", user=statement.user_id.name)
                )
        self._check_states(("confirmed",), self.env._("disputed"))
        if not (reason or "").strip():
            raise UserError(self.env._("R6.4: a dispute needs the reason the statement is wrong."))
        # sudo: consultants do not write statements; disputing is their one act on it
        self.sudo().write({"state": "disputed", "dispute_reason": reason.strip()})
        for statement in self:
            statement.message_post(
                body=self.env._("Disputed by %(user)s: %(reason)s", user=self.env.user.name, reason=reason.strip()),
                subtype_xmlid="mail.mt_comment",
            )
        return True

    @workflow_step
    def action_reset_draft(self):
        self._check_manager(self.env._("reset incentive statements to draft"))
        self._check_states(("confirmed", "disputed"), self.env._("reset to draft"))
        # sudo: status fields are the system's; the manager's right was checked above
        self.sudo().write({"state": "draft", "confirmed_date": False})
        return True

    @workflow_step
    def action_approve(self):
        self._check_manager(self.env._("approve incentive statements"))
        self._check_not_beneficiary(self.env._("approve it"))
        self._check_states(("confirmed", "disputed"), self.env._("approved"))
        # sudo: status fields are the system's; the manager's right was checked above
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()})
        # the lines stay explainable when their document is deleted later
        self.env["sale.incentive.statement.line"].sudo()._snapshot_documents(self)
        return True

    def action_pay(self):
        self._check_manager(self.env._("pay incentive statements"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register the Payment"),
            "res_model": "sale.incentive.statement.pay",
            "view_mode": "form",
            "target": "new",
            "context": {"default_statement_ids": self.ids},
        }

    @workflow_step
    def _pay(self, reference, date=None):
        self._check_manager(self.env._("pay incentive statements"))
        self._check_not_beneficiary(self.env._("register its payment"))
        self._check_states(("approved",), self.env._("paid"))
        if not (reference or "").strip():
            raise UserError(self.env._("R6.4: a paid statement carries its payment reference."))
        # sudo: payment fields are the system's; the manager's right was checked above
        self.sudo().write(
            {
                "state": "paid",
                "payment_reference": reference.strip(),
                "paid_date": date or regulation_day.today(self.env),
            }
        )
        return True

    def action_export_xlsx(self):
        """The statements as a spreadsheet (R6.4), for anyone who may read them."""
        export = self.env["sale.incentive.statement.export"].create({"statement_ids": [fields.Command.set(self.ids)]})
        return export.action_export()
