# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .sale_regulation import ACKNOWLEDGEMENT_EXEMPT_FIELDS, CONSULTANT, MANAGER


class ResPartner(models.Model):
    _inherit = "res.partner"

    # R10: the Salesperson owns the customer; the record rules filter on it.
    user_id = fields.Many2one(index=True)

    @api.model
    def default_get(self, fields_list):
        """A customer a consultant or supervisor creates is theirs (R10), so that it is not
        visible to the other consultants."""
        defaults = super().default_get(fields_list)
        if "user_id" in fields_list and not defaults.get("user_id") and not self.env.su:
            user = self.env.user
            if user.has_group(CONSULTANT) and not user.has_group(MANAGER):
                defaults["user_id"] = user.id
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.regulation"]._check_acknowledged()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - ACKNOWLEDGEMENT_EXEMPT_FIELDS and self - self.env.user.partner_id:
            self.env["sale.regulation"]._check_acknowledged()
        old_owners = {}
        if "user_id" in vals:
            old_owners = {partner.id: partner.user_id for partner in self}
        res = super().write(vals)
        if old_owners:
            self._propagate_owner_to_contacts(old_owners, vals["user_id"])
        return res

    def _propagate_owner_to_contacts(self, old_owners, new_owner):
        """The contacts of a company follow it to its new Salesperson when they had the old
        one, or none, so they do not stay visible to the previous consultant (R10)."""
        children = self.with_context(active_test=False).child_ids.filtered(
            lambda child: (
                not child.is_company
                and child.user_id.id != new_owner
                and (not child.user_id or child.user_id == old_owners.get(child.parent_id.id))
            )
        )
        if children:
            children.write({"user_id": new_owner})
