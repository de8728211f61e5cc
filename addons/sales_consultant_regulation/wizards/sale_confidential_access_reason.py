# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleConfidentialAccessReason(models.TransientModel):
    """Asks why a secret document is opened before it opens (R10.1)."""

    _name = "sale.confidential.access.reason"
    _description = "Reason to Open a Secret Document"

    document_id = fields.Many2one("sale.confidential.document", required=True, ondelete="cascade")
    access_type = fields.Selection(
        [("open", "Open the File"), ("download", "Download the File")], required=True, default="open"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        return self.document_id._access(self.access_type, self.reason)
