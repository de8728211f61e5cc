# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R7.1 and R6.4 on leads: how the credit of the deal is shared between consultants, carried to its
quotations."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # R7.1 split credit, carried to the quotations
    consultant_share_ids = fields.One2many(
        "sale.order.consultant.share",
        "lead_id",
        string="Consultant Shares",
        help="R7.1: the consultants working this opportunity together and their share of the credit; "
        "totals 100 % and is carried to the quotations.",
    )

    consultant_share_total = fields.Float(
        compute="_compute_consultant_share_total", store=True, string="Shared (%)", digits=(5, 2)
    )

    @api.depends("consultant_share_ids.percent")
    def _compute_consultant_share_total(self):
        for lead in self:
            lead.consultant_share_total = sum(lead.consultant_share_ids.mapped("percent"))

    @api.constrains("consultant_share_total")
    def _check_consultant_share_total(self):
        for lead in self:
            if lead.consultant_share_ids and float_compare(lead.consultant_share_total, 100.0, 2):
                raise ValidationError(
                    self.env._(
                        'R7.1 split credit: the consultant shares of "%(lead)s" total %(total)s %%; '
                        "they must total 100 %%.",
                        lead=lead.display_name,
                        total=lead.consultant_share_total,
                    )
                )
