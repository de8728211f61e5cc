# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

CHANNEL_TYPES = [
    ("online", "Online"),
    ("offline", "Offline"),
    ("referral", "Customer Referral"),
    ("partner", "Partner Introduction"),
]


class UtmMedium(models.Model):
    _inherit = "utm.medium"

    channel_type = fields.Selection(
        CHANNEL_TYPES,
        help="The development channel of the regulation (R3.1) this medium stands for. A lead or "
        "customer developed through a customer referral names the referring customer; through "
        "a partner introduction, the partner.",
    )

    @api.model
    def _check_channel_details(self, records):
        """R3.1: a lead or customer developed through a customer referral names the referring
        customer, one introduced by a partner names the partner. ``records`` are leads or
        partners (both carry medium_id, referral_partner_id and introducing_partner_id)."""
        for record in records:
            kind = record.medium_id.channel_type
            if kind == "referral" and not record.referral_partner_id:
                raise ValidationError(
                    self.env._(
                        "R3.1 channels: %(record)s was developed through a customer referral; "
                        "name the referring customer.",
                        record=record.display_name,
                    )
                )
            if kind == "partner" and not record.introducing_partner_id:
                raise ValidationError(
                    self.env._(
                        "R3.1 channels: %(record)s was introduced by a partner; name the introducing partner.",
                        record=record.display_name,
                    )
                )
