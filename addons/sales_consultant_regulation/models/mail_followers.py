# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression

from .base import MODULE
from .base_links import LINK_TARGETS
from .sale_regulation import CONSULTANT, MANAGER


class MailFollowers(models.Model):
    """R10.1: Odoo has no record rule on followers; a consultant would list the records a
    colleague's customer follows, with the customer's name and e-mail. A consultant or a
    supervisor sees the followers of the records of the protected models (customers, leads,
    orders and the addon's records) he may read only. Following, subscribing and notifying run
    in sudo in Odoo's mail and are not changed; managers and users outside the regulation's
    groups keep Odoo's behaviour."""

    _inherit = "mail.followers"

    def _regulation_restricted(self):
        user = self.env.user
        return not self.env.su and user.has_group(CONSULTANT) and not user.has_group(MANAGER)

    @tools.ormcache()
    def _regulation_protected_models(self):
        return tuple(
            sorted(
                name
                for name in self.env
                if name in LINK_TARGETS
                or (
                    self.env[name]._original_module == MODULE
                    and not self.env[name]._abstract
                    and "message_ids" in self.env[name]._fields
                )
            )
        )

    def _regulation_readable_domain(self, domain=()):
        """Followers of the protected models' records the user may read, and of every other
        model's records as in Odoo. When ``domain`` is a plain conjunction naming the model (the
        chatter's searches), only that model's records are looked up."""
        models_ = self._regulation_protected_models()
        if not any(isinstance(term, str) for term in domain):
            named = {
                term[2]
                for term in domain
                if isinstance(term, (list, tuple)) and len(term) == 3 and tuple(term[:2]) == ("res_model", "=")
            }
            if len(named) == 1:
                models_ = [name for name in models_ if name in named]
        domain = [("res_model", "not in", list(models_))]
        for name in models_:
            if not self.env[name].has_access("read"):
                continue  # none of its followers
            readable = self.env[name].with_context(active_test=False)._search([])
            domain = expression.OR([domain, [("res_model", "=", name), ("res_id", "in", readable)]])
        return domain

    def _search(self, domain, offset=0, limit=None, order=None):
        if self._regulation_restricted():
            domain = expression.AND([domain, self._regulation_readable_domain(domain)])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or not any(self._ids) or not self._regulation_restricted():
            return result
        # sudo: the documents followed, to check that the user may read them
        followers = self.sudo()
        protected = set(self._regulation_protected_models())
        forbidden = self.browse()
        for model in protected & set(followers.mapped("res_model")):
            these = followers.filtered(lambda f, model=model: f.res_model == model)
            documents = self.env[model].browse(these.mapped("res_id")).exists()
            readable = set(documents._filtered_access("read").ids)
            forbidden |= self.browse(these.filtered(lambda f, readable=readable: f.res_id not in readable).ids)
        if not forbidden:
            return None
        return forbidden, lambda: AccessError(
            self.env._("R10.1: you may see the followers of the records you may read only.")
        )
