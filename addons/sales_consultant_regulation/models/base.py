# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import binascii
import contextlib
import contextvars
import datetime
import functools
import math
import threading

import psycopg2.errors

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import confidentiality

MODULE = "sales_consultant_regulation"
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
# Set by the export routes (controllers/main.py) while they run an export they already checked
# and logged as a whole, so the export_data calls it makes (one per group of a grouped export)
# are not checked or logged again. A context variable: a client cannot set it.
EXPORT_CHECKED = contextvars.ContextVar("sales_regulation_export_checked", default=None)
# Set by a workflow action (workflow_action()) while it writes the fields its workflow owns
# (states, approvers, totals, locks): create, write and load() refuse them otherwise, for every
# user, admin included. A context variable: no RPC client can set it, unlike a context key.
WORKFLOW_ACTION = contextvars.ContextVar("sales_regulation_workflow_action", default=False)
INT32 = (-(2**31), 2**31 - 1)
X2MANY_COMMAND_SIZES = {0: (2, 3), 1: (3,), 2: (2, 3), 3: (2, 3), 4: (2, 3), 5: (1, 2, 3), 6: (3,)}
CONVERSION_ERRORS = (ValueError, TypeError, IndexError, KeyError, AttributeError, OverflowError)

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
# The fields of the core models the addon extends that the confidentiality rules depend on: a
# customer's reader list is computed from the leads' and orders' customers (res.partner), and a
# contact shows its company's name. Only these are checked on core models, and only for the
# regulation's users: every other field and every other user keep plain Odoo's behaviour.
CORE_LINK_FIELDS = {
    "res.partner": ("parent_id", "referral_partner_id", "introducing_partner_id", "decision_maker_id"),
    "crm.lead": ("partner_id", "decision_maker_id", "referral_partner_id", "introducing_partner_id"),
    "sale.order": ("partner_id", "partner_invoice_id", "partner_shipping_id", "opportunity_id"),
}
CONSULTANT_GROUP = f"{MODULE}.group_consultant"
SUPERVISOR_GROUP = f"{MODULE}.group_supervisor"
GRANT_FIELD = "regulation_reader_granted"


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

    @api.model
    def _regulation_field_label(self, name):
        field = self._fields[name]
        return f"{field._description_string(self.env)} ({self._description})"

    @api.model
    def _regulation_check_vals(self, vals, create=False):
        """Refuse, with a ValidationError naming the field, what a user's create, write or
        load() must not store: a field the workflow owns (outside its actions), a value of the
        wrong type, a number that is not finite or out of its range, an unknown selection value,
        a link to a record that does not exist, a malformed x2many command."""
        if not isinstance(vals, dict):
            raise ValidationError(
                self.env._("%(model)s: the values to write are not a dictionary.", model=self._description)
            )
        if not self.env.registry.ready:
            return  # module data being loaded: not a user's input
        if self._regulation_workflow_fields and not WORKFLOW_ACTION.get():
            owned = [name for name in self._regulation_workflow_fields if name in vals]
            if create:
                owned = [name for name in owned if not self._regulation_is_initial(name, vals[name])]
            if owned:
                raise AccessError(
                    self.env._(
                        "%(model)s: %(fields)s change only through the record's actions (its buttons), never by "
                        "writing or importing them.",
                        model=self._description,
                        fields=", ".join(self._fields[name]._description_string(self.env) for name in owned),
                    )
                )
        addon_model = self._original_module == MODULE
        check_links = not self.env.su and not WORKFLOW_ACTION.get()
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                raise ValidationError(
                    self.env._("%(model)s has no field %(field)s.", model=self._description, field=str(name)[:80])
                )
            if not addon_model and MODULE not in (field._modules or ()):
                continue
            self._regulation_check_value(field, value, check_links)

    def _regulation_is_initial(self, name, value):
        """A workflow field given at create with the value it starts with anyway (the web client
        sends the defaults it shows)."""
        field = self._fields[name]
        default = field.default(self) if callable(field.default) else None
        try:
            cached = field.convert_to_cache(value, self)
            initial = field.convert_to_cache(default, self)
        except CONVERSION_ERRORS:
            return False
        return cached == initial or (not cached and not initial)

    def _regulation_value_error(self, field, value, reason=None):
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message = self.env._(
            "%(field)s: %(value)s is not a valid value.", field=self._regulation_field_label(field.name), value=shown
        )
        if reason:
            message = f"{message} {reason}"
        return ValidationError(message)

    def _regulation_check_value(self, field, value, check_links):
        ftype = field.type
        if (
            field.required
            and ftype not in ("boolean", "one2many", "many2many")
            and (value is None or value is False or value == "")
        ):
            raise ValidationError(
                self.env._("%(field)s is required; give it a value.", field=self._regulation_field_label(field.name))
            )
        if ftype in ("float", "monetary", "integer"):
            if value is None or value is False:
                return
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise self._regulation_value_error(field, value)
            try:
                number = float(value)
            except CONVERSION_ERRORS:
                raise self._regulation_value_error(field, value) from None
            if not math.isfinite(number):
                raise self._regulation_value_error(field, value, self.env._("Enter a finite number."))
            if ftype == "integer" and not (INT32[0] <= number <= INT32[1]):
                raise self._regulation_value_error(field, value, self.env._("The number is too large."))
            if ftype != "integer" and abs(number) >= 1e15:
                raise self._regulation_value_error(field, value, self.env._("The number is too large."))
            if ftype == "integer" and isinstance(value, str):
                try:
                    int(value)
                except ValueError:
                    raise self._regulation_value_error(field, value) from None
            return
        if ftype in ("char", "text", "html"):
            if value is None or value is False:
                return
            if not isinstance(value, str):
                raise self._regulation_value_error(field, value)
            if "\x00" in value:
                raise self._regulation_value_error(field, value, self.env._("It holds a NUL character."))
            return
        if ftype in ("date", "datetime"):
            if value is None or value is False:
                return
            if not isinstance(value, (str, datetime.date)):
                raise self._regulation_value_error(field, value)
            try:
                converted = field.convert_to_cache(value, self)
            except CONVERSION_ERRORS:
                raise self._regulation_value_error(field, value) from None
            if converted and converted.year < 1000:
                raise self._regulation_value_error(field, value, self.env._("The year is out of range."))
            return
        if ftype == "selection":
            if value is None or value is False:
                return
            try:
                field.convert_to_cache(value, self)
            except CONVERSION_ERRORS:
                raise self._regulation_value_error(field, value) from None
            return
        if ftype == "many2one":
            if value is None or value is False:
                return
            if isinstance(value, models.BaseModel):
                if value._name != field.comodel_name or len(value) > 1:
                    raise self._regulation_value_error(field, value)
                return
            if isinstance(value, bool) or not isinstance(value, int) or not (0 < value <= INT32[1]):
                raise self._regulation_value_error(field, value)
            if check_links:
                # sudo: only whether the record exists; reading it is the access rules' affair
                if not self.env[field.comodel_name].sudo().browse(value).exists():
                    raise self._regulation_value_error(field, value, self.env._("No such record."))
            return
        if ftype in ("one2many", "many2many"):
            self._regulation_check_commands(field, value, check_links)
            return
        if ftype == "boolean":
            if not isinstance(value, (bool, int, type(None))):
                raise self._regulation_value_error(field, value)
            return
        if ftype == "binary":
            if value is None or value is False:
                return
            if not isinstance(value, (str, bytes)):
                raise self._regulation_value_error(field, value)
            if field.attachment:
                try:
                    base64.b64decode(value, validate=False)
                except (binascii.Error, ValueError):
                    raise self._regulation_value_error(field, value) from None

    def _regulation_check_commands(self, field, value, check_links):
        """An x2many value: False, or a list of commands (Command.create, link, set, ...) or of
        ids, each well formed and pointing at records that exist."""
        if value is None or value is False:
            return
        if isinstance(value, models.BaseModel):
            if value._name != field.comodel_name:
                raise self._regulation_value_error(field, value)
            return
        if not isinstance(value, (list, tuple)):
            raise self._regulation_value_error(field, value)
        ids = []

        def valid_id(item):
            return isinstance(item, int) and not isinstance(item, bool) and 0 < item <= INT32[1]

        for command in value:
            if valid_id(command) and field.type == "many2many":
                ids.append(command)
                continue
            if not isinstance(command, (list, tuple)) or not command:
                raise self._regulation_value_error(field, command)
            code = command[0]
            if (
                isinstance(code, bool)
                or code not in X2MANY_COMMAND_SIZES
                or len(command) not in X2MANY_COMMAND_SIZES[code]
            ):
                raise self._regulation_value_error(field, command)
            if code in (0, 1) and not isinstance(command[-1], dict):
                raise self._regulation_value_error(field, command)
            if code in (0, 1):
                comodel = self.env[field.comodel_name]
                unknown = [str(name) for name in command[-1] if name not in comodel._fields]
                if unknown:
                    raise ValidationError(
                        self.env._(
                            "%(model)s has no field %(field)s.", model=comodel._description, field=unknown[0][:80]
                        )
                    )
            if code in (1, 2, 3, 4):
                if not valid_id(command[1]):
                    raise self._regulation_value_error(field, command)
                ids.append(command[1])
            if code == 6:
                if not isinstance(command[2], (list, tuple)) or not all(valid_id(item) for item in command[2]):
                    raise self._regulation_value_error(field, command)
                ids.extend(command[2])
        if ids and check_links:
            # sudo: only whether the records exist; reading them is the access rules' affair
            missing = set(ids) - set(self.env[field.comodel_name].sudo().browse(ids).exists().ids)
            if missing:
                raise self._regulation_value_error(field, sorted(missing), self.env._("No such record."))

    @api.constrains(lambda self: tuple(self._regulation_ranges))
    def _check_regulation_ranges(self):
        """Every number listed in _regulation_ranges stays in its range (issue 13)."""
        for name, (low, high) in self._regulation_ranges.items():
            for record in self:
                value = record[name]
                if (low is not None and value < low) or (high is not None and value > high):
                    if low is not None and high is not None:
                        bounds = self.env._("from %(low)s to %(high)s", low=low, high=high)
                    elif low is not None:
                        bounds = self.env._("at least %(low)s", low=low)
                    else:
                        bounds = self.env._("at most %(high)s", high=high)
                    raise ValidationError(
                        self.env._(
                            "%(field)s is %(value)s; it must be %(bounds)s.",
                            field=record._regulation_field_label(name),
                            value=value,
                            bounds=bounds,
                        )
                    )

    # ------------------------------------------------------------------ multi-company

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

    # ------------------------------------------------------------------ readers through deals (R10.1)

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
