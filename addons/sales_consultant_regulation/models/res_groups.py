# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        """Users given a regulation role from the group's side (its Users tab, data files) get
        the same defaults as from the user's form (res.users._regulation_apply_role_defaults)."""
        if "users" not in vals and "implied_ids" not in vals:
            return super().write(vals)
        users = self.with_context(active_test=False).users
        before = users._regulation_roles()
        res = super().write(vals)
        users |= self.with_context(active_test=False).users
        users._regulation_apply_role_defaults(before)
        return res
