# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, models

from ..tools import confidentiality

ROLE_GROUPS = {
    "consultant": "sales_consultant_regulation.group_consultant",
    "supervisor": "sales_consultant_regulation.group_supervisor",
    "manager": "sales_consultant_regulation.group_regulation_manager",
}


def _is_groups_change(vals):
    return any(key == "groups_id" or key.startswith(("in_group_", "sel_groups_")) for key in vals)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._regulation_apply_role_defaults({})
        return users

    def write(self, vals):
        before = self._regulation_roles() if _is_groups_change(vals) else None
        res = super().write(vals)
        if before is not None:
            self._regulation_apply_role_defaults(before)
        return res

    def _regulation_roles(self):
        """{user id: set of regulation role names} from the stored groups (implied ones included)."""
        groups = {role: self.env.ref(xmlid, raise_if_not_found=False) for role, xmlid in ROLE_GROUPS.items()}
        return {user.id: {role for role, group in groups.items() if group and group in user.groups_id} for user in self}

    def _regulation_apply_role_defaults(self, before):
        """R10: a user who becomes a consultant or supervisor loses Odoo's export right, and a
        plain consultant does not see product costs; an administrator may grant either back
        afterwards, as it is only done when the role changes."""
        export = self.env.ref("base.group_allow_export")
        hide_cost = self.env.ref("sales_consultant_regulation.group_hide_product_cost", raise_if_not_found=False)
        if not hide_cost:  # during the module's own installation, before its groups exist
            return
        after = self._regulation_roles()
        for user in self:
            revoke_export, hide = confidentiality.role_default_changes(before.get(user.id, set()), after[user.id])
            commands = []
            if revoke_export and export in user.groups_id:
                commands.append(Command.unlink(export.id))
            if hide is True and hide_cost not in user.groups_id:
                commands.append(Command.link(hide_cost.id))
            elif hide is False and hide_cost in user.groups_id:
                commands.append(Command.unlink(hide_cost.id))
            if commands:
                super(ResUsers, user).write({"groups_id": commands})
