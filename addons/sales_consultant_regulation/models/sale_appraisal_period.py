# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import appraisal_scores
from .base import unique_guard, workflow_step

PERIOD_TYPES = [("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Annual")]
TYPE_ORDER = {"month": 0, "quarter": 1, "year": 2}
MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"
SUPERVISOR_GROUP = "sales_consultant_regulation.group_supervisor"


class SaleAppraisalPeriod(models.Model):
    """An appraisal period (R6.2): a month, a quarter built on its months, or a year. Opening
    it creates the appraisal of every consultant of the company's regulated teams; while open
    the appraisals are recomputed nightly from live data; closing freezes them."""

    _name = "sale.appraisal.period"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Appraisal Period"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = (
        "state",
        "computed_at",
        "closed_date",
        "honours_granted",
        "champion_user_id",
        "best_user_id",
        "honour_badge_user_ids",
    )
    _order = "date_from desc, period_type_order desc, id"

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    period_type = fields.Selection(PERIOD_TYPES, string="Type", required=True, default="month", tracking=True)
    period_type_order = fields.Integer(compute="_compute_period_type_order", store=True)
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    basis = fields.Selection(
        [("order", "Confirmed Orders"), ("invoice", "Posted Invoices, Net of Credit Notes")],
        required=True,
        default=lambda self: self.env.company.appraisal_basis or "order",
        tracking=True,
        help="Where the sales figures come from (R6.3: data from the sales system and finance).",
    )
    appraisal_ids = fields.One2many("sale.appraisal", "period_id", string="Appraisals")
    appraisal_count = fields.Integer(compute="_compute_appraisal_count")
    month_ids = fields.Many2many(
        "sale.appraisal.period",
        compute="_compute_month_ids",
        string="Months",
        help="The monthly periods a quarter or a year is built on (R6.2).",
    )
    rolls_up = fields.Boolean(
        compute="_compute_month_ids",
        help="The months cover the period: its figures are the sums and weighted averages of theirs.",
    )
    computed_at = fields.Datetime(string="Last Computed", readonly=True, copy=False)

    @api.depends("period_type", "date_from", "date_to")
    def _compute_name(self):
        for period in self:
            if not period.date_from:
                period.name = False
            elif period.period_type == "month":
                period.name = period.date_from.strftime("%Y-%m")
            elif period.period_type == "quarter":
                period.name = f"{period.date_from.year} Q{(period.date_from.month - 1) // 3 + 1}"
            else:
                period.name = str(period.date_from.year)

    @api.depends("period_type")
    def _compute_period_type_order(self):
        for period in self:
            period.period_type_order = TYPE_ORDER.get(period.period_type, 0)

    def _compute_appraisal_count(self):
        counts = dict(
            self.env["sale.appraisal"]._read_group([("period_id", "in", self.ids)], ["period_id"], ["__count"])
        )
        for period in self:
            period.appraisal_count = counts.get(period, 0)

    @api.depends("period_type", "date_from", "date_to", "company_id")
    def _compute_month_ids(self):
        rollups = self.filtered(lambda p: p.period_type != "month" and p.date_from and p.date_to)
        months = self.browse()
        if rollups:
            months = self.search(
                [
                    ("period_type", "=", "month"),
                    ("company_id", "in", rollups.company_id.ids),
                    ("date_from", ">=", min(rollups.mapped("date_from"))),
                    ("date_to", "<=", max(rollups.mapped("date_to"))),
                ]
            )
        for period in self:
            if period not in rollups:
                period.month_ids = False
                period.rolls_up = False
                continue
            inside = months.filtered(
                lambda m, p=period: (
                    m.company_id == p.company_id and m.date_from >= p.date_from and m.date_to <= p.date_to
                )
            )
            period.month_ids = inside
            period.rolls_up = appraisal_scores.covers(
                [(m.date_from, m.date_to) for m in inside], (period.date_from, period.date_to)
            )

    @api.constrains("date_from", "date_to", "period_type", "company_id")
    def _check_dates(self):
        for period in self:
            if period.date_from > period.date_to:
                raise ValidationError(
                    self.env._('R6.2: the period "%(period)s" ends before it starts.', period=period.name)
                )
        others = self.search(
            [
                ("company_id", "in", self.company_id.ids),
                ("period_type", "in", list(set(self.mapped("period_type")))),
                ("date_from", "<=", max(self.mapped("date_to"))),
                ("date_to", ">=", min(self.mapped("date_from"))),
            ]
        )
        for period in self:
            for other in others:
                if (
                    other != period
                    and other.company_id == period.company_id
                    and other.period_type == period.period_type
                    and appraisal_scores.ranges_overlap(
                        (period.date_from, period.date_to), (other.date_from, other.date_to)
                    )
                ):
                    raise ValidationError(
                        self.env._(
                            'R6.2: the period "%(period)s" overlaps "%(other)s"; periods of one type never overlap.',
                            period=period.name,
                            other=other.name,
                        )
                    )

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        self._regulation_check_vals(vals)
        if {"date_from", "date_to", "period_type", "company_id", "basis"} & set(vals):
            for period in self:
                if period.state != "draft":
                    raise UserError(
                        self.env._(
                            'R6.2: the period "%(period)s" is %(state)s; its dates, type and basis are fixed.',
                            period=period.name,
                            state=period._state_label(),
                        )
                    )
        if "name" in vals:
            for period in self.filtered(lambda p: p.state == "closed" and p.name != vals["name"]):
                raise UserError(
                    self.env._(
                        'R6.2: the period "%(period)s" is closed; its name is fixed, as its appraisals and '
                        "statements show it.",
                        period=period.name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        for period in self:
            if period.state != "draft":
                raise UserError(self.env._('Only draft periods are deleted; "%(period)s" is not.', period=period.name))

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------ access helpers

    def _check_manager(self, what):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a regulation manager may %(what)s.", what=what))

    def _check_not_closed(self, what):
        closed = self.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    'R6.2: the period "%(period)s" is closed; its appraisals are frozen and cannot be %(what)s. '
                    "A regulation manager may reopen it, giving a reason.",
                    period=closed[0].name,
                    what=what,
                )
            )

    # ------------------------------------------------------------------ actions

    @workflow_step
    def action_open(self):
        self._check_manager(self.env._("open an appraisal period"))
        self.env["sale.appraisal.kpi"]._check_weights()
        self._regulation_lock_state()
        for period in self:
            if period.state != "draft":
                raise UserError(self.env._('The period "%(period)s" is not a draft.', period=period.name))
        # sudo: period state is the system's; the manager's right was checked above
        self.sudo().write({"state": "open", "closed_date": False})
        with unique_guard(self.env, self._busy_message()):
            self._compute_appraisals()
        return True

    def _busy_message(self):
        return self.env._(
            'R6.2: the period "%(period)s" is being opened, closed or computed by someone else; try again in a moment.',
            period=self[:1].name,
        )

    def _regulation_lock_state(self):
        """Two users opening, closing or reopening one period at once: the second is refused."""
        self._regulation_try_lock(self._busy_message(), "state")

    def action_recompute(self):
        if not self.env.su and not self.env.user.has_group(SUPERVISOR_GROUP):
            raise AccessError(self.env._("Only a supervisor or a manager may recompute appraisals."))
        self._check_not_closed(self.env._("recomputed"))
        self._compute_appraisals()
        return True

    @workflow_step
    def action_close(self):
        self._check_manager(self.env._("close an appraisal period"))
        self._regulation_lock_state()
        for period in self:
            if period.state != "open":
                raise UserError(self.env._('Only open periods are closed; "%(period)s" is not.', period=period.name))
        self._compute_appraisals()
        # sudo: period state is the system's; the manager's right was checked above
        # the transaction's time, as the documents' creation stamps: a document made after it is late
        self.sudo().write({"state": "closed", "closed_date": self.env.cr.now()})
        for period in self:
            period.message_post(
                body=self.env._(
                    "Period closed by %(user)s: its appraisals are frozen (R6.2).", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_reopen(self):
        self.ensure_one()
        self._check_manager(self.env._("reopen an appraisal period"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Period"),
            "res_model": "sale.appraisal.period.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_period_id": self.id},
        }

    @workflow_step
    def _reopen(self, reason):
        """Reopen closed periods, logging who and why (R6.2)."""
        self._check_manager(self.env._("reopen an appraisal period"))
        if not (reason or "").strip():
            raise UserError(self.env._("R6.2: reopening a closed period needs a reason."))
        self._regulation_lock_state()
        for period in self:
            if period.state != "closed":
                raise UserError(
                    self.env._('Only closed periods are reopened; "%(period)s" is not.', period=period.name)
                )
        # sudo: period state is the system's; the manager's right was checked above
        self.sudo().write({"state": "open", "closed_date": False})
        for period in self:
            period.message_post(
                body=self.env._(
                    "Period reopened by %(user)s (R6.2). Reason: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_view_appraisals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_consultant_regulation.sale_appraisal_action")
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"default_period_id": self.id}
        return action
