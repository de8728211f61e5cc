# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    regulation_discount_limit = fields.Float(
        string="Discount Limit (%)",
        default=10.0,
        help="R4.6: a regulated order with a line discount above this needs a supervisor's approval "
        "before it is confirmed.",
    )
