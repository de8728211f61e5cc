# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    regulation_discount_limit = fields.Float(
        string="Discount Limit (%)",
        default=10.0,
        help="R4.6: a regulated order with a line discount above this needs a supervisor's approval "
        "before it is confirmed.",
    )

    # R6.1-R6.4 appraisal
    appraisal_basis = fields.Selection(
        [("order", "Confirmed Orders"), ("invoice", "Posted Invoices, Net of Credit Notes")],
        default="order",
        required=True,
        help="R6.3: the sales figures of new appraisal periods come from confirmed orders dated in the "
        "period, or from posted invoices net of credit notes.",
    )
    appraisal_champion_badge_id = fields.Many2one(
        "gamification.badge",
        string="Sales Champion Title",
        default=lambda self: self.env.ref("sales_consultant_regulation.badge_sales_champion", raise_if_not_found=False),
        help="R6.4: the badge granted to the consultant with the highest sales amount of an approved period "
        "(the shipped Sales Champion badge when empty).",
    )
    appraisal_best_badge_id = fields.Many2one(
        "gamification.badge",
        string="Best Sales Consultant Title",
        default=lambda self: self.env.ref(
            "sales_consultant_regulation.badge_best_consultant", raise_if_not_found=False
        ),
        help="R6.4: the badge granted to the consultant with the highest total score of an approved period "
        "(the shipped Best Sales Consultant badge when empty).",
    )
    appraisal_channel_id = fields.Many2one(
        "discuss.channel",
        string="Honours Channel",
        default=lambda self: self.env.ref("mail.channel_all_employees", raise_if_not_found=False),
        help="R6.4: the channel where the honour titles are announced to the company.",
    )

    @api.model
    def _appraisal_default_honours(self):
        """Give every company without honour titles the shipped ones (at install the badges
        are loaded after the companies' columns)."""
        champion = self.env.ref("sales_consultant_regulation.badge_sales_champion")
        best = self.env.ref("sales_consultant_regulation.badge_best_consultant")
        self.search([("appraisal_champion_badge_id", "=", False)]).appraisal_champion_badge_id = champion
        self.search([("appraisal_best_badge_id", "=", False)]).appraisal_best_badge_id = best
