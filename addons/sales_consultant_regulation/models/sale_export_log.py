# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

REFUSALS = [
    ("no_right", "No Export Right"),
    ("over_limit", "Above the Export Limit"),
]


class SaleExportLog(models.Model):
    """One export of customer-bearing records: who, which model and fields, how many, when,
    and whether it was refused (R10.2, R9.4). Written by the export entry points only (see
    models/base.py and controllers/main.py); read by the regulation managers."""

    _name = "sale.export.log"
    _description = "Export Log"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "model"

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="restrict")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    model = fields.Char(required=True, help="Technical name of the exported model.")
    model_name = fields.Char(string="Exported Records", help="The model's name as users see it.")
    field_names = fields.Text(string="Fields")
    record_count = fields.Integer(string="Records")
    origin = fields.Selection(
        [("csv", "CSV Export"), ("xlsx", "Excel Export"), ("rpc", "Program (RPC)")],
        required=True,
        default="rpc",
    )
    state = fields.Selection([("done", "Exported"), ("refused", "Refused")], required=True, default="done")
    refusal = fields.Selection(REFUSALS, string="Refused Because")
    export_limit = fields.Integer(string="Limit Then", help="The company's export limit at the time.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    def _alert_managers(self):
        """An activity for each regulation manager of the company on each refused export."""
        manager_group = self.env.ref("sales_consultant_regulation.group_regulation_manager")
        for log in self:
            managers = manager_group.users.filtered(
                lambda u, log=log: not u.share and u.active and log.company_id in u.company_ids and u._is_internal()
            ) - self.env.ref("base.user_root")
            for manager in managers:
                log_lang = log.with_context(lang=manager.lang)
                log_lang.activity_schedule(
                    "mail.mail_activity_data_warning",
                    summary=log_lang.env._(
                        "Refused export: %(user)s, %(count)s %(model)s",
                        user=log.user_id.name,
                        count=log.record_count,
                        model=log.model_name or log.model,
                    ),
                    note=log_lang.env._(
                        "%(user)s tried to export %(count)s records of %(model)s (%(reason)s; the limit is "
                        "%(limit)s). Fields: %(fields)s. R10.2: check with them why.",
                        user=log.user_id.name,
                        count=log.record_count,
                        model=log.model_name or log.model,
                        reason=dict(log_lang._fields["refusal"]._description_selection(log_lang.env)).get(
                            log.refusal, ""
                        ),
                        limit=log.export_limit,
                        fields=log.field_names or "",
                    ),
                    user_id=manager.id,
                )
