# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models import regulation_day
from ..tools import appraisal_scores


class SaleAppraisalPeriodGenerate(models.TransientModel):
    """Create a year's appraisal periods (R6.2): its months, its quarters and the year."""

    _name = "sale.appraisal.period.generate"
    _description = "Create the Appraisal Periods of a Year"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"year": (1900, 2200)}

    year = fields.Integer(required=True, default=lambda self: regulation_day.today(self.env).year)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    months = fields.Boolean(default=True)
    quarters = fields.Boolean(default=True)
    whole_year = fields.Boolean(string="The Year", default=True)

    @api.model
    def _generate(self, year, company, types=("month", "quarter", "year")):
        """Create the missing periods of ``year``; existing ones are kept (one search, one create)."""
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
            raise UserError(self.env._("R6.2: give a year from 1900 to 2200, not %(year)s.", year=year))
        Period = self.env["sale.appraisal.period"]
        wanted = [p for p in appraisal_scores.year_periods(year) if p[0] in types]
        existing = Period.search(
            [
                ("company_id", "=", company.id),
                ("date_from", ">=", f"{year}-01-01"),
                ("date_to", "<=", f"{year}-12-31"),
            ]
        )
        have = {(p.period_type, p.date_from, p.date_to) for p in existing}
        vals_list = [
            {"period_type": kind, "date_from": start, "date_to": end, "company_id": company.id}
            for kind, _index, start, end in wanted
            if (kind, start, end) not in have
        ]
        return existing | Period.create(vals_list)

    def action_generate(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_consultant_regulation.group_regulation_manager"):
            raise AccessError(self.env._("Only a regulation manager creates appraisal periods."))
        types = [
            kind
            for kind, wanted in (("month", self.months), ("quarter", self.quarters), ("year", self.whole_year))
            if wanted
        ]
        periods = self._generate(self.year, self.company_id, types)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.sale_appraisal_period_action"
        )
        action["domain"] = [("id", "in", periods.ids)]
        return action
