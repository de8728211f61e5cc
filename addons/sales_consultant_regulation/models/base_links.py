# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R10.1 links are access: linking a record requires reading it, deals open their customer only
when legitimately assigned, and records never move across companies."""

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .base import CONSULTANT_GROUP, MODULE, SUPERVISOR_GROUP

# The fields of the core models the addon extends that the confidentiality rules depend on: a
# customer's reader list is computed from the leads' and orders' customers (res.partner), and a
# contact shows its company's name. Only these are checked on core models, and only for the
# regulation's users: every other field and every other user keep plain Odoo's behaviour.
CORE_LINK_FIELDS = {
    "res.partner": ("parent_id", "referral_partner_id", "introducing_partner_id", "decision_maker_id"),
    "crm.lead": ("partner_id", "decision_maker_id", "referral_partner_id", "introducing_partner_id"),
    "sale.order": ("partner_id", "partner_invoice_id", "partner_shipping_id", "opportunity_id"),
}

GRANT_FIELD = "regulation_reader_granted"

# R10.1 links are access: the models whose records the confidentiality rules protect. Writing a
# many2one or many2many to one of them requires reading the record linked.
LINK_TARGETS = frozenset(
    {
        "res.partner",
        "crm.lead",
        "sale.order",
        "sale.appraisal.period",
        "sale.incentive.plan",
        "sale.incentive.statement",
        "sale.confidential.document",
    }
)


def _linked_ids(field, value):
    """The ids a create/write value of a many2one or many2many links to (new records made by
    a create command are checked by their own create); anything else is left to the ORM."""
    if isinstance(value, models.BaseModel):
        return set(value.ids)
    if field.type == "many2one":
        return {value} if isinstance(value, int) and not isinstance(value, bool) and value else set()
    ids = set()
    if not isinstance(value, (list, tuple)):
        return ids
    for command in value:
        if isinstance(command, int) and not isinstance(command, bool):
            ids.add(command)
        elif isinstance(command, (list, tuple)) and command:
            if command[0] == 4 and len(command) > 1:
                ids.add(command[1])
            elif command[0] == 6 and len(command) > 2 and isinstance(command[2], (list, tuple)):
                ids.update(command[2])
    return {id_ for id_ in ids if isinstance(id_, int) and not isinstance(id_, bool) and id_}


class Base(models.AbstractModel):
    _inherit = "base"

    def _regulation_companies_before(self, vals):
        """{record id: company id} of the addon's records of self before a write that may move
        them to another company: a write of their company or of a parent their company
        follows (a target's period, a rate's plan...)."""
        if self.env.su or self._original_module != MODULE or not self:
            return {}
        field = self._fields.get("company_id")
        if not field or not field.store or field.type != "many2one":
            return {}
        if not any(name == "company_id" or self._fields.get(name, field).type == "many2one" for name in vals):
            return {}
        # sudo: the company the records belong to, whatever the user reads of it
        return {record.id: record.company_id.id for record in self.sudo() if record.company_id}

    def _regulation_check_same_companies(self, companies):
        """Records never move across companies: refuse the write that moved one (the whole
        transaction is rolled back, so nothing is saved)."""
        # sudo: the companies of the records written, to name them in the refusal
        for record in self.sudo():
            before = companies.get(record.id)
            if before and record.company_id.id != before:
                raise UserError(
                    self.env._(
                        '"%(record)s" belongs to the company %(company)s; it cannot be moved to %(other)s, '
                        "directly or by linking it to a record of that company. Nothing was saved.",
                        record=record.display_name,
                        company=self.env["res.company"].browse(before).name,
                        other=record.company_id.name or self.env._("no company"),
                    )
                )

    def _regulation_link_fields(self):
        """The relational fields of this model whose targets the user must be able to read to
        link them (R10.1): on the addon's models every many2one or many2many to a protected
        model, for every user; on the core models it extends the fields of CORE_LINK_FIELDS,
        for the regulation's users only (a plain Odoo user keeps plain Odoo's behaviour)."""
        if self._original_module == MODULE:
            names = [
                name
                for name, field in self._fields.items()
                if field.type in ("many2one", "many2many")
                and field.comodel_name in LINK_TARGETS
                and (field.store or field.inverse)
                and not field.related
            ]
            return names
        if self._name in CORE_LINK_FIELDS and self.env.user.has_group(CONSULTANT_GROUP):
            return [name for name in CORE_LINK_FIELDS[self._name] if name in self._fields]
        return []

    def _regulation_grants_freely(self):
        """Whether the current user's leads and orders open their customer to the salesperson
        whoever it is: the system, supervisors and managers assign deals; a user outside the
        regulation's groups is not one the confidentiality rules restrict."""
        user = self.env.user
        return self.env.su or not user.has_group(CONSULTANT_GROUP) or user.has_group(SUPERVISOR_GROUP)

    @api.model
    def _regulation_may_read_customer(self, partner_id, user_id):
        """Whether the user ``user_id`` may read the customer ``partner_id`` now, before the
        deal being written counts."""
        if not isinstance(partner_id, int) or not isinstance(user_id, int) or not partner_id or not user_id:
            return True
        partner = self.env["res.partner"].browse(partner_id).exists()
        return not partner or bool(partner.with_user(user_id)._filtered_access("read"))

    @api.model
    def _regulation_grant_on_create(self, vals_list):
        """The create values of leads or orders with their reader grant (R10.1): the deal opens
        its customer to its salesperson when a supervisor, a manager or the system assigned it,
        or when the salesperson could read the customer already. Never taken from the caller."""
        if self.env.su:
            return vals_list
        free = self._regulation_grants_freely()
        result = []
        for vals in vals_list:
            user_id = vals.get("user_id", self.env.uid)
            granted = (
                free or user_id == self.env.uid or self._regulation_may_read_customer(vals.get("partner_id"), user_id)
            )
            result.append(dict(vals, **{GRANT_FIELD: bool(granted)}))
        return result

    def _regulation_grant_on_write(self, vals):
        """{grant: records} to store after a write of ``vals`` that changes the customer or the
        salesperson of the leads or orders of self (R10.1), decided before the write."""
        if GRANT_FIELD in vals and not self.env.su:
            raise AccessError(self.env._("R10.1: who may read a deal's customer is decided by the system."))
        if self.env.su or not {"partner_id", "user_id"} & set(vals):
            return {}
        free = self._regulation_grants_freely()
        grants = {True: self.browse(), False: self.browse()}
        for record in self:
            partner_id = vals["partner_id"] if "partner_id" in vals else record.partner_id.id
            user_id = vals["user_id"] if "user_id" in vals else record.user_id.id
            granted = free or self._regulation_may_read_customer(partner_id, user_id)
            grants[bool(granted)] |= record
        return grants

    def _regulation_apply_grants(self, grants):
        for granted, records in grants.items():
            # sudo: the grant is the system's, decided from who wrote the deal, which the user
            # may no longer read once he handed it over
            changed = records.sudo().filtered(lambda record, granted=granted: record[GRANT_FIELD] != granted)
            if changed:
                changed.write({GRANT_FIELD: granted})

    def _regulation_check_links(self, vals_list):
        """Refuse linking a record the user may not read (R10.1): Odoo does not check read
        access on the target of a many2one or many2many when it is written. The superuser and
        the addon's sudo paths (the system linking records for the user) are not checked; in a
        write, the records already linked are not checked again."""
        if self.env.su or (self._original_module != MODULE and self._name not in CORE_LINK_FIELDS):
            return
        names = self._regulation_link_fields()
        if not names:
            return
        for name in names:
            field = self._fields[name]
            new_ids = set()
            for vals in vals_list:
                if name in vals:
                    new_ids |= _linked_ids(field, vals[name])
            if not new_ids:
                continue
            if self:
                # sudo: the ids already linked, which the user does not link anew
                new_ids -= set(self.sudo()[name].ids)
            targets = self.env[field.comodel_name].browse(sorted(new_ids)).exists()
            forbidden = targets - targets._filtered_access("read")
            if forbidden:
                raise AccessError(
                    self.env._(
                        'R10.1: you may not link "%(field)s" of %(model)s to a record you are not allowed to read '
                        "(%(target)s #%(id)s). Nothing was saved.",
                        field=field._description_string(self.env),
                        model=self.env["ir.model"]._get(self._name).name,
                        target=self.env["ir.model"]._get(field.comodel_name).name,
                        id=forbidden[0].id,
                    )
                )
