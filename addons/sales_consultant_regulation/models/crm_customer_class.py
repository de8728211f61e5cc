# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The fields a class may ask a complete file to have (R3.2, R3.3). Completeness is a stored
# compute: it depends on exactly these fields, so a class can only name fields of this list.
PARTNER_FILE_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "city",
    "country_id",
    "vat",
    "website",
    "industry_id",
    "user_id",
    "medium_id",
    "source_id",
    "business_scope",
    "product_interest_ids",
    "category_interest_ids",
    "need_description",
    "budget_amount",
    "purchase_timing",
    "decision_maker_id",
    "decision_process",
    "decision_date",
)
LEAD_FILE_FIELDS = (
    "partner_id",
    "partner_name",
    "contact_name",
    "email_from",
    "phone",
    "street",
    "city",
    "country_id",
    "website",
    "user_id",
    "medium_id",
    "source_id",
    "business_scope",
    "product_interest_ids",
    "category_interest_ids",
    "need_description",
    "budget_amount",
    "purchase_timing",
    "decision_maker_id",
    "decision_process",
    "decision_date",
    "expected_revenue",
    "date_deadline",
)
CLASS_CODES = [
    ("potential", "Potential"),
    ("intentional", "Intentional"),
    ("quasi", "Quasi"),
    ("closed", "Closed Deal"),
]


class CrmCustomerClass(models.Model):
    """A customer class of R3.4 and its follow-up policy (R3.5): how often the consultant
    follows its customers up, with which activity, what strategy, and what a complete file of
    its customers and leads holds (R3.3)."""

    _name = "crm.customer.class"
    _description = "Customer Class"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"interval_days": (0, 3650), "key_interval_days": (0, 3650)}
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code = fields.Selection(
        CLASS_CODES,
        help="The class customers fall in automatically from their leads, quotations and orders "
        "(R3.4). A class without code is only given by a supervisor's override.",
    )
    color = fields.Integer()
    interval_days = fields.Integer(
        string="Follow-up Every (Days)",
        default=30,
        help="Days between two contacts with a customer of this class before a follow-up activity "
        "is scheduled for the consultant (R3.5). 0: no automatic follow-up.",
    )
    key_interval_days = fields.Integer(
        string="Key/Premium Every (Days)",
        help="Shorter follow-up interval for key and premium customers of this class (R3.4). 0: same as the class.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Follow-up Activity",
        domain=[("res_model", "in", (False, "res.partner"))],
        help="The activity scheduled for the consultant when a customer of this class is due.",
    )
    strategy = fields.Html(
        translate=True,
        help="The follow-up strategy and sales plan for this class (R3.4); copied into the follow-up activity.",
    )
    partner_field_ids = fields.Many2many(
        "ir.model.fields",
        "crm_customer_class_partner_field_rel",
        "class_id",
        "field_id",
        string="Customer File Fields",
        domain=[("model", "=", "res.partner"), ("name", "in", PARTNER_FILE_FIELDS)],
        help="What the file of a customer of this class must hold to be complete (R3.3).",
    )
    lead_field_ids = fields.Many2many(
        "ir.model.fields",
        "crm_customer_class_lead_field_rel",
        "class_id",
        "field_id",
        string="Lead File Fields",
        domain=[("model", "=", "crm.lead"), ("name", "in", LEAD_FILE_FIELDS)],
        help="What a lead or opportunity at this class must hold to be complete (R3.3).",
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Each automatic class code belongs to one class only."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("customer_class_id", "in", self.ids)], ["customer_class_id"], ["__count"]
            )
        )
        for customer_class in self:
            customer_class.partner_count = counts.get(customer_class, 0)

    @api.constrains("partner_field_ids", "lead_field_ids")
    def _check_file_fields(self):
        for customer_class in self:
            wrong = customer_class.partner_field_ids.filtered(
                lambda f: f.model != "res.partner" or f.name not in PARTNER_FILE_FIELDS
            ) | customer_class.lead_field_ids.filtered(
                lambda f: f.model != "crm.lead" or f.name not in LEAD_FILE_FIELDS
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "R3.3: the class %(name)s names fields a customer file cannot require: %(fields)s.",
                        name=customer_class.name,
                        fields=", ".join(wrong.mapped("field_description")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._regulation_check_vals(vals, create=True)
        # a code moved away in this transaction must be written before the new one (unique)
        self.flush_model(["code"])
        classes = super().create(vals_list)
        if any(vals.get("code") for vals in vals_list):
            self._recompute_classes()
        return classes

    def write(self, vals):
        self._regulation_check_vals(vals)
        res = super().write(vals)
        if {"code", "active"} & set(vals):
            self._recompute_classes()
        return res

    @api.model
    def _recompute_classes(self):
        """Class every customer and lead again, e.g. once a class code moved (R3.4)."""
        partners = self.env["res.partner"].with_context(active_test=False).search([])
        leads = self.env["crm.lead"].with_context(active_test=False).search([])
        # what depends on the class (file completeness, follow-up dates) follows it
        partners.modified(["computed_class_id"])
        leads.modified(["lead_class_id"])
        self.env.add_to_compute(partners._fields["computed_class_id"], partners)
        self.env.add_to_compute(leads._fields["lead_class_id"], leads)

    @api.model
    def _by_code(self):
        """{code: class} of the active classes with a code."""
        return {c.code: c for c in self.search([("code", "!=", False)])}

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.res_partner_action_customer_file"
        )
        action["domain"] = [("customer_class_id", "=", self.id)]
        action["context"] = {}
        return action
