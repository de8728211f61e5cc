# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R7.1 and R6.4 on orders: how the credit of the order is shared between consultants."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class SaleOrder(models.Model):
    _inherit = "sale.order"

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

    def _consultant_share_summary(self):
        self.ensure_one()
        return ", ".join(
            f"{share.user_id.name} {share.percent:g}%" for share in self.sudo().consultant_share_ids.sorted("id")
        )
