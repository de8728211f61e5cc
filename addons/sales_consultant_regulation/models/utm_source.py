# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class UtmSource(models.Model):
    _inherit = "utm.source"

    channel_medium_id = fields.Many2one(
        "utm.medium",
        string="Channel",
        domain=[("channel_type", "!=", False)],
        help="The development channel (R3.1) this source belongs to: choosing the source on a lead "
        "or customer fills in its channel.",
    )
