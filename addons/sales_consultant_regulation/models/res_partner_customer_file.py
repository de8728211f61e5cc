# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R3.1-R3.3 customer file on the contact: channel, basic, needs and decision information,
completeness and review."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import customer_rules
from . import regulation_day
from .crm_customer_class import PARTNER_FILE_FIELDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    # R3.1 development channel, on utm like leads and orders
    medium_id = fields.Many2one(
        "utm.medium",
        string="Channel",
        index="btree_not_null",
        ondelete="set null",
        help="How the customer was developed (R3.1): online, offline, customer referral or partner introduction.",
    )

    source_id = fields.Many2one(
        "utm.source",
        string="Channel Source",
        ondelete="set null",
        help="Where exactly: website, social media, trade show, seminar... (R3.1)",
    )

    channel_type = fields.Selection(related="medium_id.channel_type")

    # R3.2 basic, needs and decision information
    product_interest_ids = fields.Many2many(
        "product.template",
        "res_partner_product_interest_rel",
        "partner_id",
        "product_tmpl_id",
        string="Products of Interest",
    )

    category_interest_ids = fields.Many2many(
        "product.category",
        "res_partner_category_interest_rel",
        "partner_id",
        "category_id",
        string="Categories of Interest",
    )

    budget_currency_id = fields.Many2one("res.currency", compute="_compute_budget_currency_id")

    budget_amount = fields.Monetary(string="Budget", currency_field="budget_currency_id", help="R3.2")

    # R3.3 completeness and review
    file_missing_field_ids = fields.Many2many(
        "ir.model.fields",
        "res_partner_file_missing_field_rel",
        "partner_id",
        "field_id",
        string="Missing in File",
        compute="_compute_file_completeness",
        store=True,
        # the fields are named from ir.model.fields, which consultants read (access CSV)
        groups="sales_consultant_regulation.group_consultant",
    )

    file_reviewed_date = fields.Date(
        string="File Reviewed On",
        copy=False,
        help="Last time the file was updated or confirmed up to date (R3.3).",
    )

    file_reviewed_user_id = fields.Many2one("res.users", string="File Reviewed By", copy=False)

    file_stale = fields.Boolean(
        compute="_compute_file_stale",
        search="_search_file_stale",
        help="The file was not reviewed for longer than the company allows (R3.3).",
    )

    def _compute_budget_currency_id(self):
        for partner in self:
            partner.budget_currency_id = partner.company_id.currency_id or self.env.company.currency_id

    def _regulation_file_class(self):
        return self.customer_class_id

    def _regulation_file_required_fields(self, customer_class):
        return customer_class.partner_field_ids

    def _regulation_file_depends(self):
        return [*PARTNER_FILE_FIELDS, "customer_class_id.partner_field_ids"]

    @api.depends_context("company", "tz", "uid")
    @api.depends("file_reviewed_date", "create_date", "customer_class_id")
    def _compute_file_stale(self):
        today = regulation_day.today(self.env)
        stale_days = self.env.company.regulation_file_stale_days
        for partner in self:
            reviewed = partner.file_reviewed_date or (partner.create_date and partner.create_date.date())
            partner.file_stale = bool(
                partner.customer_class_id and customer_rules.is_stale(reviewed, today, stale_days)
            )

    def _search_file_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        stale_days = self.env.company.regulation_file_stale_days
        if stale_days > 0:
            limit = customer_rules.stale_limit(regulation_day.today(self.env), stale_days)
            domain = [
                ("customer_class_id", "!=", False),
                "|",
                ("file_reviewed_date", "<=", limit),
                "&",
                ("file_reviewed_date", "=", False),
                ("create_date", "<", fields.Datetime.to_datetime(limit) + timedelta(days=1)),
            ]
        else:
            domain = [(0, "=", 1)]
        return domain if (operator == "=") == value else ["!", *domain]

    def action_file_reviewed(self):
        """The consultant checked the file and it is up to date (R3.3)."""
        self.write({"file_reviewed_date": regulation_day.today(self.env), "file_reviewed_user_id": self.env.uid})
        return True
