# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import customer_rules


class SaleRegulationCustomerFileMixin(models.AbstractModel):
    """R3.1-R3.3: the customer file a lead and a customer both keep, carried from the lead to
    the customer: channel details, basic, needs and decision information, and how complete
    the file is for its class. A model using it has ``medium_id`` and ``source_id`` (utm),
    the many2many interests, ``budget_amount`` and ``file_missing_field_ids`` of its own
    (their relation tables and currency differ), and says which class and which fields a
    complete file asks for (``_regulation_file_class``, ``_regulation_file_depends``)."""

    _name = "sale.regulation.customer.file.mixin"
    _description = "Customer File (R3.1-R3.3)"

    # R3.1 channel details (the channel itself is utm's medium_id and source_id)
    referral_partner_id = fields.Many2one(
        "res.partner", string="Referring Customer", help="The customer who referred this one (R3.1)."
    )
    introducing_partner_id = fields.Many2one("res.partner", help="The partner who introduced this customer (R3.1).")
    # R3.2 basic, needs and decision information
    business_scope = fields.Text(help="What the customer's business does and covers (R3.2).")
    need_description = fields.Text(string="Needs", help="Product need and usage scenario (R3.2).")
    purchase_timing = fields.Date(help="When the customer intends to buy (R3.2).")
    decision_maker_id = fields.Many2one("res.partner", help="Who decides the purchase (R3.2).")
    decision_process = fields.Text(help="How the customer decides: steps, people, approvals (R3.2).")
    decision_date = fields.Date(help="When the decision is expected (R3.2).")
    # R3.3 completeness, by the class the file stands at (R3.4)
    file_completeness = fields.Float(
        string="File Completeness (%)",
        compute="_compute_file_completeness",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the fields the customer's class asks for that are filled in (R3.3).",
    )

    def _regulation_file_class(self):
        """The crm.customer.class whose fields make this record's file complete."""
        raise NotImplementedError

    def _regulation_file_required_fields(self, customer_class):
        """The ir.model.fields a complete file of this model asks for in ``customer_class``."""
        raise NotImplementedError

    def _regulation_file_depends(self):
        """The fields the completeness depends on: the fields a class may ask for, and the
        class's own list of them."""
        return []

    @api.depends(lambda self: self._regulation_file_depends())
    def _compute_file_completeness(self):
        # The stored list's current values for the whole batch at once: assigning it record by
        # record would otherwise read each record's relation rows with its own query.
        self.filtered("id").fetch(["file_missing_field_ids"])
        for record in self:
            required = record._regulation_file_required_fields(record._regulation_file_class())
            filled = {f.name for f in required if customer_rules.is_filled(record[f.name])}
            percent, missing = customer_rules.completeness(required.mapped("name"), filled)
            record.file_completeness = percent
            record.file_missing_field_ids = required.filtered(lambda f, missing=missing: f.name in missing)

    @api.constrains("medium_id", "referral_partner_id", "introducing_partner_id")
    def _check_channel_details(self):
        self.env["utm.medium"]._check_channel_details(self)

    @api.onchange("source_id")
    def _onchange_source_id_channel(self):
        if self.source_id.channel_medium_id:
            self.medium_id = self.source_id.channel_medium_id
