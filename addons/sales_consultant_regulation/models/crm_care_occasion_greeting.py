# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCareOccasionGreeting(models.Model):
    """One customer greeted for one occasion in one year (R3.5): the record that keeps the
    greetings cron from greeting anybody twice, and the care history of the customer's file."""

    _name = "crm.care.occasion.greeting"
    _description = "Customer Greeting"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"year": (1900, 2200)}
    _order = "date desc, id desc"
    _rec_name = "occasion_id"

    occasion_id = fields.Many2one("crm.care.occasion", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade", index=True)
    year = fields.Integer(required=True)
    date = fields.Date(required=True)
    channel = fields.Selection(
        [("email", "Email"), ("activity", "Activity for the Consultant")], required=True, default="email"
    )
    user_id = fields.Many2one("res.users", string="Consultant")

    _sql_constraints = [
        (
            "occasion_partner_year_unique",
            "UNIQUE(occasion_id, partner_id, year)",
            "A customer is greeted once per occasion and year.",
        ),
    ]

    def _create_activities(self):
        """The consultant greets in person: one activity per greeting, in one create."""
        default_type = self.env.ref("sales_consultant_regulation.mail_activity_type_greeting")
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": greeting.partner_id.id,
                "activity_type_id": (greeting.occasion_id.activity_type_id or default_type).id,
                "user_id": greeting.user_id.id,
                "date_deadline": greeting.date,
                "summary": greeting.occasion_id.with_context(lang=greeting.user_id.lang).name,
            }
            for greeting in self
            if greeting.user_id
        ]
        return self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)
