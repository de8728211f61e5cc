# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

SUPERVISOR_GROUP = "sales_consultant_regulation.group_supervisor"
MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"
TARGET_FIELDS = ("amount_target", "margin_target", "quantity_target", "new_customer_target")
# What the consultant writes in their own plan: the strategy (R2.2).
CONSULTANT_FIELDS = {"strategy"}


class SaleConsultantTarget(models.Model):
    """A consultant's personal sales plan for a period (R2.2): targets for amount, profit,
    quantity and new customers, and the strategy to reach them. A quarter's or a year's
    targets default to the sum of its months'."""

    _name = "sale.consultant.target"
    _check_company_auto = True
    _inherit = ["mail.thread"]
    _description = "Consultant Sales Plan"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {
        "amount_target": (0.0, None),
        "quantity_target": (0.0, None),
        "new_customer_target": (0.0, None),
    }
    _order = "date_from desc, period_type_order, user_id"
    _rec_names_search = ["user_id", "period_id"]

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Consultant", required=True, index=True, tracking=True)
    period_id = fields.Many2one(
        "sale.appraisal.period", required=True, ondelete="cascade", index=True, tracking=True, check_company=True
    )
    period_type = fields.Selection(related="period_id.period_type", store=True)
    period_type_order = fields.Integer(related="period_id.period_type_order", store=True)
    date_from = fields.Date(related="period_id.date_from", store=True)
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_id = fields.Many2one(
        "crm.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index=True,
        string="Sales Team",
        check_company=True,
    )
    amount_target = fields.Monetary(
        string="Sales Amount", compute="_compute_targets", store=True, readonly=False, tracking=True
    )
    margin_target = fields.Monetary(
        string="Sales Profit", compute="_compute_targets", store=True, readonly=False, tracking=True
    )
    quantity_target = fields.Float(
        string="Quantity", compute="_compute_targets", store=True, readonly=False, tracking=True
    )
    new_customer_target = fields.Float(
        string="New Customers", compute="_compute_targets", store=True, readonly=False, tracking=True, digits=(16, 2)
    )
    strategy = fields.Html(help="R2.2: how the consultant means to reach the targets.")

    _sql_constraints = [
        ("user_period_unique", "UNIQUE(user_id, period_id)", "A consultant has one sales plan per period."),
    ]

    @api.depends("period_id.name", "user_id.name")
    def _compute_name(self):
        for target in self:
            target.name = f"{target.period_id.name} - {target.user_id.name}"

    @api.depends("user_id")
    def _compute_team_id(self):
        members = (
            self.env["crm.team.member"]
            .sudo()  # membership only, to file the plan under the consultant's team
            .search([("user_id", "in", self.user_id.ids), ("crm_team_id.regulation_enabled", "=", True)], order="id")
        )
        team_of = {}
        for member in members:
            team_of.setdefault(member.user_id.id, member.crm_team_id)
        for target in self:
            target.team_id = team_of.get(target.user_id.id, target.team_id)

    @api.depends("period_id", "user_id")
    def _compute_targets(self):
        """A quarter's or a year's plan starts from the sum of its months' plans (R2.2)."""
        rollups = self.filtered(lambda t: t.period_id.period_type in ("quarter", "year") and t.user_id)
        months = rollups.period_id.month_ids
        month_targets = self.search([("period_id", "in", months.ids), ("user_id", "in", rollups.user_id.ids)])
        for target in self:
            if target not in rollups:
                for fname in TARGET_FIELDS:
                    target[fname] = target[fname] or 0.0
                continue
            mine = month_targets.filtered(
                lambda m, t=target: m.user_id == t.user_id and m.period_id in t.period_id.month_ids
            )
            for fname in TARGET_FIELDS:
                target[fname] = sum(mine.mapped(fname))

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._regulation_check_vals(vals, create=True)
        targets = super().create(vals_list)
        targets._check_plan_write(set().union(*(vals.keys() for vals in vals_list)) | set(TARGET_FIELDS))
        return targets

    def write(self, vals):
        self._regulation_check_vals(vals)
        self._check_plan_write(set(vals))
        return super().write(vals)

    def _check_plan_write(self, names):
        """Closed periods freeze the plans; a consultant writes only the strategy of their own
        plan; targets are set by the supervisor of the team or a manager (R2.2)."""
        for target in self:
            if target.period_id.state == "closed" and not all(n.startswith("message_") for n in names):
                raise UserError(
                    self.env._(
                        'R6.2: the period "%(period)s" is closed; its sales plans are frozen.',
                        period=target.period_id.name,
                    )
                )
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        user = self.env.user
        for target in self:
            leads_team = user.has_group(SUPERVISOR_GROUP) and target.team_id.user_id == user and target.user_id != user
            if leads_team:
                continue
            if target.user_id == user and names <= CONSULTANT_FIELDS | {"message_main_attachment_id"}:
                continue
            raise AccessError(
                self.env._(
                    "R2.2: the targets of %(user)s are set by the supervisor of their team or a regulation "
                    "manager; a consultant writes the strategy of their own plan.",
                    user=target.user_id.name,
                )
            )

    def _as_measures(self):
        self.ensure_one()
        return {
            "amount": self.amount_target,
            "margin": self.margin_target,
            "quantity": self.quantity_target,
            "new_customers": self.new_customer_target,
        }

    def action_sum_months(self):
        """Reset a quarter's or a year's targets to the sum of its months' (R2.2)."""
        self._check_plan_write(set(TARGET_FIELDS))
        self._compute_targets()
        return True
