# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import api, fields, models

from .sale_regulation import ACKNOWLEDGEMENT_EXEMPT_FIELDS


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "sale.regulation.customer.file.mixin"]
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"budget_amount": (0.0, None)}

    # R10.1: whether this deal opens its customer to its salesperson (the customer's readers
    # through deals): set by the system when the deal is created or reassigned.
    regulation_reader_granted = fields.Boolean(
        string="Opens Its Customer",
        default=True,
        copy=False,
        readonly=True,
        help="The salesperson may read the customer through this deal: a supervisor, a manager or the system "
        "assigned it, or the salesperson could read the customer already (R10.1).",
    )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.regulation"]._check_acknowledged()
        vals_list = self._regulation_grant_on_create(vals_list)
        leads = super().create(vals_list)
        regulated = leads.filtered(lambda lead: lead.regulation_enabled and lead.stage_id)
        if regulated:
            # A lead created in a later stage passes the stages before it (import, RPC).
            regulated._checklist_gate(dict.fromkeys(regulated))
            regulated._checklist_ensure_lines()
        self.env["sale.order.consultant.share"]._default_for(leads, "lead_id")
        return leads

    def write(self, vals):
        if set(vals) - ACKNOWLEDGEMENT_EXEMPT_FIELDS:
            self.env["sale.regulation"]._check_acknowledged()
        old_stages = {}
        if "stage_id" in vals:
            old_stages = {lead: lead.stage_id.id for lead in self}
        old_users = {lead.id: lead.user_id for lead in self} if "user_id" in vals else {}
        grants = self._regulation_grant_on_write(vals)
        res = super().write(vals)
        self._regulation_apply_grants(grants)
        if "stage_id" in vals or vals.get("probability") == 100:
            # R3.3: a won lead hands its file to the customer
            self.filtered(lambda lead: lead.stage_id.is_won)._regulation_carry_file_to_customer()
        if old_users:
            self.env["sale.order.consultant.share"]._follow_salesperson(self, old_users)
        if {"user_id", "team_id"} & set(vals):
            self.env["sale.order.consultant.share"]._default_for(self, "lead_id")
        if old_stages:
            moved = self.filtered(
                lambda lead: lead.regulation_enabled and lead.stage_id and lead.stage_id.id != old_stages[lead]
            )
            if moved:
                moved._checklist_gate({lead: old_stages[lead] for lead in moved})
                moved._checklist_ensure_lines()
        return res

    # ------------------------------------------------------------------ confidentiality (R10.1)

    def _get_partner_email_update(self, force_void=True):
        """A consultant's lead on a customer they may only read (another consultant's) does not
        push its e-mail onto that customer."""
        return self.partner_id.has_access("write") and super()._get_partner_email_update(force_void=force_void)

    def _get_partner_phone_update(self, force_void=True):
        return self.partner_id.has_access("write") and super()._get_partner_phone_update(force_void=force_void)
