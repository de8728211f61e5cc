# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import confidentiality
from . import regulation_day
from .base import workflow_step

CLASSIFICATIONS = [
    ("internal", "Internal"),
    ("confidential", "Confidential"),
    ("secret", "Secret"),
]
CATEGORIES = [
    ("customer", "Customer Information"),
    ("rnd", "Product R&D"),
    ("strategy", "Sales Strategy"),
    ("financial", "Financial Data"),
    ("minutes", "Internal Minutes and Decisions"),
]


class SaleConfidentialDocument(models.Model):
    """A trade secret kept by the company (R10.1, R9.4).

    Who may read it: its owner, the regulation managers, and, while the document is valid, every
    internal user for an internal document, the allowed users and groups for a confidential or
    secret one (record rules). Its file is never read directly: it is opened or downloaded
    through action_open / action_download, which log each access in
    sale.confidential.access.log and, for a secret document, ask for the reason first.
    """

    _name = "sale.confidential.document"
    _check_company_auto = True
    _description = "Confidential Document"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = ("file_size", "mimetype")
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "classification desc, name, id"

    name = fields.Char(required=True, tracking=True)
    description = fields.Text()
    classification = fields.Selection(
        CLASSIFICATIONS,
        required=True,
        default="confidential",
        tracking=True,
        help="Internal: every internal user may open it. Confidential: only the allowed users and groups. "
        "Secret: only the allowed users and groups, who give a reason each time they open it.",
    )
    category = fields.Selection(CATEGORIES, required=True, default="customer", tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", check_company=True, help="The customer the document is about."
    )
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
        help="Keeps the document safe and decides who may open it.",
    )
    allowed_user_ids = fields.Many2many(
        "res.users",
        "sale_confidential_document_user_rel",
        "document_id",
        "user_id",
        string="Allowed Users",
        domain=[("share", "=", False)],
    )
    allowed_group_ids = fields.Many2many(
        "res.groups",
        "sale_confidential_document_group_rel",
        "document_id",
        "group_id",
        string="Allowed Groups",
    )
    date_start = fields.Date(string="Valid From", tracking=True)
    date_end = fields.Date(string="Valid Until", tracking=True)
    is_valid = fields.Boolean(
        string="Valid",
        compute="_compute_is_valid",
        search="_search_is_valid",
        help="Today is within the validity dates.",
    )
    # Read only by administrators: everyone else opens the file through the logged actions. Kept
    # in the document's own table, not as an attachment, so that only this field's groups guard it.
    file = fields.Binary(string="Stored File", attachment=False, copy=False, groups="base.group_system")
    file_name = fields.Char(copy=False)
    file_size = fields.Integer(readonly=True, copy=False)
    mimetype = fields.Char(readonly=True, copy=False)
    has_file = fields.Boolean(compute="_compute_has_file")
    upload_file = fields.Binary(
        compute="_compute_upload_file",
        inverse="_inverse_upload_file",
        help="Upload the document; it is then opened only through Open and Download, which are logged.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)
    access_log_ids = fields.One2many("sale.confidential.access.log", "document_id", string="Accesses")
    access_count = fields.Integer(compute="_compute_access_count")

    _sql_constraints = [
        (
            "validity_dates",
            "CHECK(date_start IS NULL OR date_end IS NULL OR date_start <= date_end)",
            "A document's validity cannot end before it starts.",
        ),
    ]

    @api.depends("date_start", "date_end")
    @api.depends_context("tz", "uid")
    def _compute_is_valid(self):
        today = regulation_day.today(self.env)
        for document in self:
            document.is_valid = confidentiality.within_validity(document.date_start, document.date_end, today)

    def _search_is_valid(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        today = regulation_day.today(self.env)
        domain = [
            "&",
            "|",
            ("date_start", "=", False),
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("file_size")
    def _compute_has_file(self):
        for document in self:
            document.has_file = bool(document.file_size)

    def _compute_upload_file(self):
        self.upload_file = False

    @workflow_step
    def _inverse_upload_file(self):
        for document in self.filtered("upload_file"):
            document.check_access("write")
            raw = base64.b64decode(document.upload_file)
            # sudo: the file field is closed to direct reading; the writer's right was checked above
            document.sudo().write(
                {
                    "file": document.upload_file,
                    "file_size": len(raw),
                    "mimetype": self.env["ir.attachment"]._compute_mimetype({"raw": raw}),
                }
            )

    def _compute_access_count(self):
        counts = dict(
            self.env["sale.confidential.access.log"]._read_group(
                [("document_id", "in", self.ids)], ["document_id"], ["__count"]
            )
        )
        for document in self:
            document.access_count = counts.get(document, 0)

    # ------------------------------------------------------------------ access (R10.1, R9.4)

    def action_open(self):
        return self._request_access("open")

    def action_download(self):
        return self._request_access("download")

    def _request_access(self, access_type):
        """Open or download now, or first ask the reason for a secret document."""
        self.ensure_one()
        self._check_openable()
        if self.classification == "secret":
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Why do you open this secret document?"),
                "res_model": "sale.confidential.access.reason",
                "view_mode": "form",
                "target": "new",
                "context": {"default_document_id": self.id, "default_access_type": access_type},
            }
        return self._access(access_type)

    def _check_openable(self):
        self.ensure_one()
        self.check_access("read")
        if not self.has_file:
            raise UserError(self.env._('The document "%(name)s" has no file.', name=self.name))

    def _access(self, access_type, reason=False):
        """Log the access and return the one-time address of the file (R10.1, R9.4)."""
        self._check_openable()
        reason = (reason or "").strip()
        if self.classification == "secret" and not reason:
            raise UserError(
                self.env._(
                    'R10.1: "%(name)s" is secret; give the reason why you open it.',
                    name=self.name,
                )
            )
        # sudo: access logs are written only here, for the current user, never by hand
        log = (
            self.env["sale.confidential.access.log"]
            .sudo()
            .create(
                {
                    "document_id": self.id,
                    "user_id": self.env.uid,
                    "access_type": access_type,
                    "reason": reason or False,
                    "access_token": secrets.token_urlsafe(32),
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": log._download_url(),
            "target": "new" if access_type == "open" else "self",
        }

    def action_open_access_log(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Access Log"),
            "res_model": "sale.confidential.access.log",
            "view_mode": "list,form",
            "domain": [("document_id", "=", self.id)],
        }
