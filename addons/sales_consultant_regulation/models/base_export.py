# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R10.2 export control: every export of customer-bearing records is logged; one without the right,
or above the company's limit, is refused and the managers are alerted."""

import contextvars
import threading

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError

from ..tools import confidentiality
from .base import MODULE

# Set by the export routes (controllers/main.py) while they run an export they already checked
# and logged as a whole, so the export_data calls it makes (one per group of a grouped export)
# are not checked or logged again. A context variable: a client cannot set it.
EXPORT_CHECKED = contextvars.ContextVar("sales_regulation_export_checked", default=None)

# Core models that carry customer data; every model of the addon is controlled as well.
EXPORT_CONTROLLED_MODELS = frozenset(
    {
        "res.partner",
        "crm.lead",
        "sale.order",
        "sale.order.line",
        "sale.report",
        "crm.activity.report",
        "account.move",
        "account.move.line",
    }
)


class Base(models.AbstractModel):
    _inherit = "base"

    def export_data(self, fields_to_export):
        """R10.2: every export of customer-bearing records is logged; one by a user without the
        export right, or above the company's limit by a consultant or supervisor, is refused
        and the regulation managers are alerted."""
        if self._regulation_export_controlled() and EXPORT_CHECKED.get() != self._name:
            self._regulation_export_check(len(self), fields_to_export, "rpc")
        return super().export_data(fields_to_export)

    @api.model
    def _regulation_export_controlled(self):
        return self._name in EXPORT_CONTROLLED_MODELS or self._original_module == MODULE

    @api.model
    def _regulation_export_check(self, count, field_names, origin, raise_refusal=True):
        """Log the export of ``count`` records of this model, or refuse it (R10.2).

        A refusal raises an AccessError, after recording the attempt and alerting the managers
        in a transaction of its own. With ``raise_refusal=False`` (the export routes, which
        answer with an error page without rolling back), the attempt is recorded in the
        current transaction and the AccessError is returned instead."""
        env = self.env
        user = env.user
        company = env.company
        limit = company.regulation_export_limit
        limited = user.has_group(f"{MODULE}.group_consultant") and not user.has_group(
            f"{MODULE}.group_regulation_manager"
        )
        may_export = env.su or env.is_admin() or user.has_group("base.group_allow_export")
        refusal = confidentiality.export_refusal(count, limit, may_export, limited and not env.su)
        values = {
            "user_id": user.id,
            "model": self._name,
            "model_name": env["ir.model"]._get(self._name).name,
            "field_names": ", ".join(field_names or []),
            "record_count": count,
            "origin": origin,
            "export_limit": limit,
            "company_id": company.id,
        }
        # sudo: users cannot write export logs themselves; these describe their exports
        if not refusal:
            env["sale.export.log"].sudo().create(values)
            return None
        if refusal == confidentiality.REFUSED_NO_RIGHT:
            error = AccessError(
                env._(
                    "R10.2: you are not allowed to export %(model)s. Ask a regulation manager; the attempt "
                    "was recorded.",
                    model=values["model_name"],
                )
            )
        else:
            error = AccessError(
                env._(
                    "R10.2: you may export at most %(limit)s records of %(model)s at once, not %(count)s. The "
                    "attempt was recorded and the regulation managers were told.",
                    limit=limit,
                    model=values["model_name"],
                    count=count,
                )
            )
        values.update(state="refused", refusal=refusal)
        if not raise_refusal:
            env["sale.export.log"].sudo().create(values)._alert_managers()
            return error
        self._regulation_export_log_refusal(values)
        raise error

    @api.model
    def _regulation_export_log_refusal(self, values):
        """Record a refused export and alert the managers in a transaction of its own: the
        refusal rolls the user's transaction back, the record of the attempt must stay."""
        registry = self.env.registry
        self.env.flush_all()
        if getattr(threading.current_thread(), "testing", False) and not registry.in_test_mode():
            # A test that does not share its cursor with new ones: never commit from it.
            self.env["sale.export.log"].sudo().create(values)._alert_managers()
            return
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": self.env.lang})
            env["sale.export.log"].create(values)._alert_managers()
