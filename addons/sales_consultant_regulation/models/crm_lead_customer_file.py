# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R3 on leads: the lead's customer file (its class, interests, budget, completeness) and how it is
carried to the customer."""

from markupsafe import Markup

from odoo import Command, api, fields, models

from ..tools import customer_rules
from .crm_customer_class import LEAD_FILE_FIELDS

# R3.2 what the lead's file carries to its customer when it is converted or won (R3.3): set
# where the customer has nothing, never overwritten; the x2many lists are merged.
CARRIED_FILE_FIELDS = (
    "medium_id",
    "source_id",
    "referral_partner_id",
    "introducing_partner_id",
    "business_scope",
    "need_description",
    "budget_amount",
    "purchase_timing",
    "decision_maker_id",
    "decision_process",
    "decision_date",
)

MERGED_FILE_FIELDS = ("product_interest_ids", "category_interest_ids")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # R3.2 needs and decision information the R4 checklist checks automatically.
    budget_amount = fields.Monetary(
        string="Budget", currency_field="company_currency", help="The customer's budget (R3.2)."
    )

    # R3.1 channel details (the channel itself is utm's medium_id and source_id)
    channel_type = fields.Selection(related="medium_id.channel_type")

    # R3.2 basic information and interests
    product_interest_ids = fields.Many2many(
        "product.template",
        "crm_lead_product_interest_rel",
        "lead_id",
        "product_tmpl_id",
        string="Products of Interest",
    )

    category_interest_ids = fields.Many2many(
        "product.category",
        "crm_lead_category_interest_rel",
        "lead_id",
        "category_id",
        string="Categories of Interest",
    )

    # R3.3 completeness of the lead's file, by the class the lead stands at (R3.4)
    lead_class_id = fields.Many2one(
        "crm.customer.class",
        string="File Class",
        compute="_compute_lead_class_id",
        store=True,
        help="The class this lead stands at (R3.4); its lead fields make a complete file.",
    )

    file_missing_field_ids = fields.Many2many(
        "ir.model.fields",
        "crm_lead_file_missing_field_rel",
        "lead_id",
        "field_id",
        string="Missing in File",
        compute="_compute_file_completeness",
        store=True,
        # the fields are named from ir.model.fields, which consultants read (access CSV)
        groups="sales_consultant_regulation.group_consultant",
    )

    customer_class_id = fields.Many2one(
        related="partner_id.commercial_partner_id.customer_class_id", string="Customer Class"
    )

    is_key_customer = fields.Boolean(related="partner_id.commercial_partner_id.is_key_customer")

    is_premium_customer = fields.Boolean(related="partner_id.commercial_partner_id.is_premium_customer")

    @api.depends("type", "active", "stage_id", "probability", "order_ids.state")
    def _compute_lead_class_id(self):
        classes = self.env["crm.customer.class"]._by_code()
        for lead in self:
            states = set(lead.order_ids.mapped("state"))
            opportunity = lead.type == "opportunity" and lead.active
            code = customer_rules.class_code(
                confirmed_order="sale" in states,
                sent_quotation="sent" in states,
                late_opportunity=opportunity
                and bool(lead.stage_id.is_won or lead.stage_id.regulation_step in customer_rules.QUASI_STEPS),
                open_opportunity=opportunity,
                draft_quotation="draft" in states,
                known=True,
            )
            lead.lead_class_id = classes.get(code, False)

    def _regulation_file_class(self):
        return self.lead_class_id

    def _regulation_file_required_fields(self, customer_class):
        return customer_class.lead_field_ids

    def _regulation_file_depends(self):
        return [*LEAD_FILE_FIELDS, "lead_class_id.lead_field_ids"]

    def _handle_partner_assignment(self, force_partner_id=False, create_missing=True):
        """R3.3: a lead converted to an opportunity hands its file to its customer."""
        res = super()._handle_partner_assignment(force_partner_id=force_partner_id, create_missing=create_missing)
        self._regulation_carry_file_to_customer()
        return res

    def _regulation_carry_file_to_customer(self):
        """Copy the lead's needs, decision and channel information to its customer (the
        commercial partner) where the customer has nothing yet; merge the interests. A value
        the customer already has is never overwritten: when the lead says otherwise, a note
        on the customer lists the lead's values for the consultant to decide (R3.2, R3.3)."""
        for lead in self.filtered(lambda lead: lead.regulation_enabled and lead.partner_id):
            customer = lead.partner_id.commercial_partner_id
            vals, conflicts = {}, []
            for name in CARRIED_FILE_FIELDS:
                value = lead[name]
                if not customer_rules.is_filled(value):
                    continue
                current = customer[name]
                if not customer_rules.is_filled(current):
                    vals[name] = value.id if isinstance(value, models.BaseModel) else value
                elif current != value:
                    conflicts.append(name)
            for name in MERGED_FILE_FIELDS:
                new = lead[name] - customer[name]
                if new:
                    vals[name] = [Command.link(record.id) for record in new]
            if vals and customer.has_access("write"):
                # a customer the user may only read (a colleague's, R10) keeps its file
                customer.write(vals)
            if conflicts:
                items = Markup("").join(
                    Markup("<li>%s: %s</li>")
                    % (lead._fields[name].get_description(self.env)["string"], lead._regulation_display_value(name))
                    for name in conflicts
                )
                customer._message_log(
                    body=Markup("%s<ul>%s</ul>")
                    % (
                        self.env._(
                            "The opportunity %(lead)s holds other values than the customer file; "
                            "the file was kept as it is (R3.3):",
                            lead=lead.display_name,
                        ),
                        items,
                    )
                )

    def _regulation_display_value(self, name):
        value = self[name]
        field = self._fields[name]
        if field.type == "many2one":
            return value.display_name
        if field.type == "monetary":
            return f"{value:,.2f} {self.company_currency.name or ''}".strip()
        return str(value)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        self.partner_id._regulation_note_contact(message)
        return res
