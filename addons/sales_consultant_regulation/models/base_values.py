# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What create, write and load() of the addon's models (and of the fields it adds to core models)
refuse as values: workflow-owned fields outside their actions, wrong types, numbers that are not
finite or out of range, unknown selection values, links to missing records, malformed x2many
commands."""

import base64
import binascii
import datetime
import math

from odoo import api, models
from odoo.exceptions import AccessError, ValidationError

from .base import MODULE, WORKFLOW_ACTION

CONVERSION_ERRORS = (ValueError, TypeError, IndexError, KeyError, AttributeError, OverflowError)

INT32 = (-(2**31), 2**31 - 1)

X2MANY_COMMAND_SIZES = {0: (2, 3), 1: (3,), 2: (2, 3), 3: (2, 3), 4: (2, 3), 5: (1, 2, 3), 6: (3,)}


class Base(models.AbstractModel):
    _inherit = "base"

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
