# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models

from ..report import xlsx_tables

COLUMNS = [
    ("user_id", "text", None),
    ("team_id", "text", None),
    ("amount", "money", "sum"),
    ("margin", "money", "sum"),
    ("quantity", "number", "sum"),
    ("new_customer_count", "number", "sum"),
    ("completion_rate", "percent", "average"),
    ("satisfaction_score", "percent", "average"),
    ("evaluation_score", "percent", "average"),
    ("total_score", "percent", "average"),
    ("rank_team", "integer", None),
    ("rank_company", "integer", None),
    ("state", "text", None),
]


class SaleAppraisalExport(models.TransientModel):
    """The appraisals of periods as a spreadsheet: a sheet per period, headers in the user's
    language, numbers as numbers and totals as formulas (R6.1)."""

    _name = "sale.appraisal.export"
    _description = "Export Appraisals to a Spreadsheet"

    period_ids = fields.Many2many("sale.appraisal.period", string="Periods", required=True)
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _sheets(self):
        self.ensure_one()
        Appraisal = self.env["sale.appraisal"]
        headers = [Appraisal._fields[fname].get_description(self.env)["string"] for fname, _kind, _total in COLUMNS]
        states = dict(Appraisal._fields["state"]._description_selection(self.env))
        # the user's record rules decide which appraisals appear (one search for all periods)
        appraisals = Appraisal.search([("period_id", "in", self.period_ids.ids)], order="period_id, rank_company, id")
        sheets = []
        for period in self.period_ids.sorted(lambda p: (p.date_from, p.period_type_order)):
            rows = []
            for appraisal in appraisals.filtered(lambda a, p=period: a.period_id == p):
                row = []
                for fname, _kind, _total in COLUMNS:
                    value = appraisal[fname]
                    if fname == "state":
                        value = states[value]
                    elif isinstance(value, models.BaseModel):
                        value = value.display_name or ""
                    row.append(value)
                rows.append(row)
            sheets.append(
                {
                    "name": period.name,
                    "title": self.env._(
                        "Appraisals %(period)s (%(company)s, %(currency)s)",
                        period=period.name,
                        company=period.company_id.name,
                        currency=period.currency_id.name,
                    ),
                    "columns": [
                        (header, kind, total) for header, (_f, kind, total) in zip(headers, COLUMNS, strict=True)
                    ],
                    "rows": rows,
                }
            )
        return sheets

    def action_export(self):
        self.ensure_one()
        content = xlsx_tables.build_xlsx(self._sheets(), total_label=self.env._("Total"))
        name = "-".join(self.period_ids.sorted("date_from").mapped("name"))[:60]
        self.write({"file_data": base64.b64encode(content), "file_name": f"appraisals-{name}.xlsx"})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/{self.file_name}?download=true",
            "target": "self",
        }
