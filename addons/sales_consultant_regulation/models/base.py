# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import contextvars
import functools

import psycopg2.errors

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

MODULE = "sales_consultant_regulation"
# Set by a workflow action (workflow_action()) while it writes the fields its workflow owns
# (states, approvers, totals, locks): create, write and load() refuse them otherwise, for every
# user, admin included. A context variable: no RPC client can set it, unlike a context key.
WORKFLOW_ACTION = contextvars.ContextVar("sales_regulation_workflow_action", default=False)

CONSULTANT_GROUP = f"{MODULE}.group_consultant"
SUPERVISOR_GROUP = f"{MODULE}.group_supervisor"


@contextlib.contextmanager
def workflow_action():
    """Let the code inside write the fields a workflow owns: only actions that checked who
    may act use it."""
    token = WORKFLOW_ACTION.set(True)
    try:
        yield
    finally:
        WORKFLOW_ACTION.reset(token)


def workflow_step(method):
    """Run ``method`` as a workflow action (see workflow_action): for the actions, which check
    who may act before they write, and for private steps of the system's computations (not
    callable over RPC)."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with workflow_action():
            return method(*args, **kwargs)

    return wrapper


@contextlib.contextmanager
def unique_guard(env, message):
    """Insert unique records (an appraisal, a statement) in a savepoint: when another user's
    transaction committed the same ones first, answer ``message`` (a translated "someone else
    is doing it, try again") instead of the database's constraint error."""
    try:
        with env.cr.savepoint():
            yield
    except psycopg2.errors.UniqueViolation:
        raise UserError(message) from None


class Base(models.AbstractModel):
    _inherit = "base"

    # The fields of the model that its workflow owns: create, write and load() refuse them
    # unless a workflow action writes them (see WORKFLOW_ACTION). Models of the addon, and the
    # core models it extends, list them.
    _regulation_workflow_fields = ()
    # {field name: (minimum, maximum)}: the range of a stored number (None: unbounded), checked
    # on every path with a message naming the field and the range.
    _regulation_ranges = {}

    # ------------------------------------------------------------------ guarded values (issue 13)

    @api.model_create_multi
    def create(self, vals_list):
        if self._regulation_guarded():
            for vals in vals_list:
                self._regulation_check_vals(vals, create=True)
            if self._regulation_workflow_fields and not WORKFLOW_ACTION.get():
                # a default_<field> key of the context would set a workflow field as well
                context = self.env.context
                forced = {f"default_{name}" for name in self._regulation_workflow_fields} & set(context)
                if forced:
                    model = self.with_env(self.env(context={k: v for k, v in context.items() if k not in forced}))
                    model._regulation_check_links(vals_list)
                    return super(Base, model).create(vals_list)
        self._regulation_check_links(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if self._regulation_guarded():
            self._regulation_check_vals(vals)
        self._regulation_check_links([vals])
        companies = self._regulation_companies_before(vals)
        res = super().write(vals)
        if companies:
            self._regulation_check_same_companies(companies)
        return res

    def _regulation_try_lock(self, message, purpose=""):
        """Take a transaction-level advisory lock per record of self for ``purpose``, or refuse
        with ``message``: another user is doing the same to the same records right now (issue 13:
        two users opening one period, confirming one quotation)."""
        if not self.ids:
            return
        self.env.cr.execute(
            SQL(
                "SELECT bool_and(pg_try_advisory_xact_lock(hashtext(%s || id::text))) FROM unnest(%s::int[]) id",
                f"{self._name}:{purpose}:",
                self.ids,
            )
        )
        if not self.env.cr.fetchone()[0]:
            raise UserError(message)

    @api.model
    def _regulation_guarded(self):
        """Whether create and write check the values of this model: the addon's models, and the
        core models the addon adds fields, workflow fields or ranges to (cached per registry)."""
        registry = self.env.registry
        cache = registry.__dict__.setdefault("_regulation_guarded_models", {})
        guarded = cache.get(self._name)
        if guarded is None:
            guarded = cache[self._name] = bool(
                self._original_module == MODULE
                or self._regulation_workflow_fields
                or self._regulation_ranges
                or any(MODULE in (field._modules or ()) for field in self._fields.values())
            )
        return guarded
