# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import api, models
from odoo.exceptions import AccessError

from . import regulation_day
from .crm_customer_class import PARTNER_FILE_FIELDS
from .sale_regulation import ACKNOWLEDGEMENT_EXEMPT_FIELDS, CONSULTANT, MANAGER

# Writing one of these is a review of the file (R3.3); the consultant's reassignment is not.
FILE_REVIEW_FIELDS = frozenset(PARTNER_FILE_FIELDS) - {"user_id"}
# Set by supervisors and managers only (R3.4).
SUPERVISOR_FIELDS = frozenset({"class_override_id", "is_key_customer"})


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "sale.regulation.customer.file.mixin"]
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {
        "budget_amount": (0.0, None),
        "birthday_lunar_month": (0, 12),
        "birthday_lunar_day": (0, 30),
    }

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

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.regulation"]._check_acknowledged()
        for vals in vals_list:
            if any(vals.get(name) for name in SUPERVISOR_FIELDS):
                self._regulation_check_supervisor()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - ACKNOWLEDGEMENT_EXEMPT_FIELDS and self - self.env.user.partner_id:
            self.env["sale.regulation"]._check_acknowledged()
        if SUPERVISOR_FIELDS & set(vals):
            self._regulation_check_supervisor()
        if FILE_REVIEW_FIELDS & set(vals) and "file_reviewed_date" not in vals:
            vals = dict(vals, file_reviewed_date=regulation_day.today(self.env), file_reviewed_user_id=self.env.uid)
        old_owners = {}
        if "user_id" in vals:
            old_owners = {partner.id: partner.user_id for partner in self}
        res = super().write(vals)
        if old_owners:
            self._propagate_owner_to_contacts(old_owners, vals["user_id"])
        return res

    def _regulation_check_supervisor(self):
        if self.env.su or self.env.user.has_group("sales_consultant_regulation.group_supervisor"):
            return
        raise AccessError(
            self.env._("R3.4: only a supervisor or a manager may override a customer's class or mark a key customer.")
        )

    # ------------------------------------------------------------------ scope

    @api.model
    def _regulation_customer_domain(self, path=""):
        """Customers the regulation applies to (docs/architecture.md, principle 5): a consultant of the
        regulation's groups or of a regulated team looks after them. ``path`` prefixes the
        fields, e.g. "commercial_partner_id." for the contacts of such customers."""
        group = self.env.ref("sales_consultant_regulation.group_consultant")
        return [
            (f"{path}user_id", "!=", False),
            "|",
            (f"{path}user_id.groups_id", "in", group.ids),
            (f"{path}user_id.crm_team_member_ids.crm_team_id.regulation_enabled", "=", True),
        ]

    def _regulation_in_scope(self):
        """The partners of self the regulation applies to (see _regulation_customer_domain)."""
        consultants = self.user_id.filtered(
            lambda user: (
                user.has_group("sales_consultant_regulation.group_consultant")
                or user.crm_team_member_ids.crm_team_id.filtered("regulation_enabled")
            )
        )
        return self.filtered(lambda partner: partner.user_id in consultants) if consultants else self.browse()
