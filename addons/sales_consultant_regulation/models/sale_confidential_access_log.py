# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, models
from odoo.tools import consteq

# How long the address returned by an open or download serves the file.
LINK_VALIDITY = timedelta(minutes=10)


class SaleConfidentialAccessLog(models.Model):
    """One opening or download of a confidential document, by whom, when and why (R10.1,
    R9.4). Written by the document's actions only; read by the user, the document's owner and
    the regulation managers; never edited."""

    _name = "sale.confidential.access.log"
    _description = "Confidential Document Access"
    _order = "date desc, id desc"
    _rec_name = "document_id"

    document_id = fields.Many2one(
        "sale.confidential.document", string="Confidential Document", required=True, ondelete="restrict", index=True
    )
    classification = fields.Selection(related="document_id.classification", store=True)
    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="restrict")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    access_type = fields.Selection([("open", "Opened"), ("download", "Downloaded")], required=True)
    reason = fields.Text()
    served_date = fields.Datetime(string="File Served On", readonly=True)
    access_token = fields.Char(copy=False, groups="base.group_system")
    company_id = fields.Many2one(related="document_id.company_id", store=True, index=True)

    def _download_url(self):
        self.ensure_one()
        return f"/sales_regulation/confidential/{self.id}/{self.sudo().access_token}"

    def _serve_check(self, user, token):
        """Whether this log's address may serve the file to ``user`` now: the same user, the
        right token, within LINK_VALIDITY of the access."""
        self.ensure_one()
        log = self.sudo()
        return bool(
            log.access_token
            and consteq(log.access_token, token or "")
            and log.user_id == user
            and log.date >= fields.Datetime.now() - LINK_VALIDITY
        )
