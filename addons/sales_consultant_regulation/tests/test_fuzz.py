# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 13, property-based layer: for every model of the addon, as a regulation manager and as a
consultant, generated create and write calls with wrong types, out-of-range numbers, NaN and
infinity, unknown selection values, reversed dates, other companies' ids and malformed x2many
commands. Each call runs in a savepoint. The test fails on any exception that is not one of
Odoo's user-facing ones (UserError and its subclasses, RedirectWarning; a database constraint,
which Odoo's RPC layer answers as a ValidationError, is counted apart) and on any stored number
that is not finite. Seeded (derandomized), bounded in time."""

import datetime
import logging
import time
import traceback

import psycopg2

from odoo import Command
from odoo.exceptions import RedirectWarning, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import SalesProcessCase

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - listed in setup/requirements-test.txt
    st = None

_logger = logging.getLogger(__name__)
MODULE = "sales_consultant_regulation"
CALLS_PER_USER = 250  # two users: 500 calls in all
TIME_BUDGET = 140.0  # seconds for the whole layer (both users), well under 3 minutes
MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
NUMBERS = [float("nan"), float("inf"), float("-inf"), -1e300, 1e300, -1, 0, 0.5, 50, 100.01, 1e9, 2**31, 2**63]
WRONG = ["abc", "nan", "inf", [], {}, [1], True, None, "\x00"]
DATES = ["2026-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "not a date", 42, "2026-01-01", "2025-12-31 23:59:59"]
BAD_COMMANDS = [
    [(9, 0)],
    [(6, 0, "x")],
    "abc",
    [(4,)],
    [(1, 5)],
    [(0, 0, "x")],
    [("a", 1)],
    [(4, -3)],
    7,
    [(5,)],
    [(6, 0, [2**40])],
    [(3, 10**9)],
    [(0, 0, {"no_such_field": 1})],
    [(0, 0, {})],
]


def _addon_models(env):
    return sorted(
        name
        for name, model in env.registry.items()
        if model._original_module == MODULE and not model._abstract and model._auto and not model._table_query
    )


def _writable_fields(model):
    names = []
    for name, field in model._fields.items():
        if name in MAGIC or field.related or name.startswith(("message_", "activity_", "website_message")):
            continue
        if field.compute and field.readonly:
            continue
        if not field.store and not field.inverse:
            continue
        if field.type in ("properties", "properties_definition", "json", "reference", "many2one_reference"):
            continue
        names.append(name)
    return names


@tagged("post_install", "-at_install")
class TestFuzz(SalesProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company2 = env["res.company"].create({"name": "SCR Fuzz Other Company"})
        # records of the other company, for other-company ids
        env["res.partner"].create({"name": "SCR Fuzz Other Customer", "company_id": cls.company2.id})
        env["sale.appraisal.period"].create(
            {"date_from": "2031-01-01", "date_to": "2031-01-31", "company_id": cls.company2.id}
        )
        env["sale.incentive.plan"].create({"name": "SCR Fuzz Other Plan", "company_id": cls.company2.id})
        # a few records of each area, whatever the database holds, to write on
        plan = env["sale.training.plan"].create(
            {"name": "SCR Fuzz Plan", "date_from": "2026-01-01", "date_to": "2026-01-31"}
        )
        env["sale.training.session"].create(
            {"name": "SCR Fuzz Session", "plan_id": plan.id, "date": "2026-01-10 09:00:00"}
        )
        env["sale.appraisal.period"].create({"date_from": "2032-01-01", "date_to": "2032-01-31"})
        env["crm.customer.complaint"].create({"subject": "SCR Fuzz", "partner_id": cls.customer.id})
        env["crm.market.feedback"].create({"name": "SCR Fuzz"})
        env["sale.confidential.document"].create({"name": "SCR Fuzz", "classification": "internal"})
        cls.models = _addon_models(env)
        cls.fields = {name: _writable_fields(env[name]) for name in cls.models}
        cls.targets = {}
        for name in cls.models:
            # sudo: write targets only; the calls run as the fuzzed users
            cls.targets[name] = env[name].sudo().search([], limit=3, order="id desc").ids
        cls.ids_of = {}
        comodels = {
            field.comodel_name
            for name in cls.models
            for field in env[name]._fields.values()
            if field.type in ("many2one", "many2many", "one2many")
        }
        for comodel in comodels:
            Model = env[comodel].sudo().with_context(active_test=False)
            ids = Model.search([], limit=2).ids
            if "company_id" in Model._fields and Model._fields["company_id"].store:
                ids += Model.search([("company_id", "=", cls.company2.id)], limit=1).ids
            cls.ids_of[comodel] = ids
        cls.stats = {"calls": 0, "ok": 0, "refused": 0, "constraint": 0}
        cls.errors = []
        cls.started = time.monotonic()

    # ------------------------------------------------------------------ strategies

    def _good(self, model, name):
        """A plausible value of the field (None: none known)."""
        field = self.env[model]._fields[name]
        ftype = field.type
        if ftype in ("float", "monetary"):
            return 10.0
        if ftype == "integer":
            return 3
        if ftype in ("char", "text", "html"):
            return "SCR Fuzz"
        if ftype == "selection":
            values = [value for value, _label in field._description_selection(self.env)]
            return values[0] if values else None
        if ftype == "date":
            return "2026-01-15"
        if ftype == "datetime":
            return "2026-01-15 09:00:00"
        if ftype == "many2one":
            ids = self.ids_of.get(field.comodel_name)
            return ids[0] if ids else None
        if ftype == "boolean":
            return True
        return None

    def _base_vals(self, model):
        """Values of the required fields without a default, so that a create goes past them."""
        Model = self.env[model]
        defaults = Model.default_get(list(Model._fields))
        vals = {}
        for name, field in Model._fields.items():
            if field.required and name not in defaults and name not in MAGIC and not field.compute:
                value = self._good(model, name)
                if value is not None:
                    vals[name] = value
        return vals

    def _value(self, data, model, name):
        field = self.env[model]._fields[name]
        ftype = field.type
        pick = data.draw
        if pick(st.booleans()):
            good = self._good(model, name)
            if good is not None:
                return good
        if ftype in ("float", "monetary", "integer"):
            return pick(
                st.one_of(
                    st.sampled_from(NUMBERS),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(-(2**40), 2**40),
                    st.sampled_from(WRONG),
                )
            )
        if ftype in ("char", "text", "html"):
            return pick(st.one_of(st.text(max_size=12), st.sampled_from(["\x00", 5, [1], None, False, 1.5])))
        if ftype == "selection":
            valid = [value for value, _label in field._description_selection(self.env)]
            return pick(st.sampled_from(valid + ["approved", "bogus", "", 0, True, None]))
        if ftype in ("date", "datetime"):
            return pick(
                st.one_of(
                    st.sampled_from(DATES + [False, None, [], True]),
                    st.dates(min_value=datetime.date(1, 1, 1)).map(str),
                )
            )
        if ftype == "many2one":
            ids = self.ids_of.get(field.comodel_name, [])
            return pick(st.sampled_from(ids + [0, -1, 2**31, 10**9, True, "1", [1], [1, 2], (1,), None, False]))
        if ftype in ("many2many", "one2many"):
            ids = self.ids_of.get(field.comodel_name, [])
            good = [[Command.set(ids)], [Command.link(i) for i in ids], [Command.clear()]]
            return pick(st.sampled_from(BAD_COMMANDS + good))
        if ftype == "boolean":
            return pick(st.sampled_from([True, False, 1, 0, "x", None, [1]]))
        if ftype == "binary":
            return pick(st.sampled_from(["!!not base64!!", "YWJj", 5, b"abc", False, [1]]))
        return pick(st.sampled_from(WRONG))

    def _vals(self, data, model):
        names = self.fields[model]
        if not names:
            return {}
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        vals = {name: self._value(data, model, name) for name in chosen}
        fields = self.env[model]._fields
        if "date_from" in fields and "date_to" in fields and data.draw(st.booleans()):
            kind = fields["date_from"].type
            vals.update(
                {"date_from": "2026-03-31", "date_to": "2026-03-01"}
                if kind == "date"
                else {"date_from": "2026-03-31 10:00:00", "date_to": "2026-03-01 10:00:00"}
            )
        return vals

    # ------------------------------------------------------------------ the calls

    def _non_finite(self, model, ids):
        Model = self.env[model]
        columns = [
            name
            for name, field in Model._fields.items()
            if field.type in ("float", "monetary") and field.store and field.column_type
        ]
        if not ids or not columns:
            return []
        condition = SQL(" OR ").join(
            SQL("(%s IS NOT NULL AND NOT (%s::float8 < 'Infinity' AND %s::float8 > '-Infinity'))", col, col, col)
            for col in (SQL.identifier(name) for name in columns)
        )
        self.env.cr.execute(
            SQL("SELECT id FROM %s WHERE id = ANY(%s) AND (%s)", SQL.identifier(Model._table), ids, condition)
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _call(self, user, model, op, vals, target):
        stats = self.stats
        stats["calls"] += 1
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db", "odoo.models", "odoo.models.unlink"):
                Model = self.env[model].with_user(user)
                if op == "create":
                    records = Model.create(vals)
                else:
                    records = Model.browse(target)
                    records.write(vals)
                self.env.flush_all()
                bad = self._non_finite(model, records.ids)
                if bad:
                    self.errors.append((model, op, vals, f"non-finite number stored in {model} {bad}"))
            stats["ok"] += 1
        except (UserError, RedirectWarning):
            stats["refused"] += 1
        except psycopg2.IntegrityError:
            # Odoo's RPC layer answers it as a ValidationError naming the constraint
            stats["constraint"] += 1
        except Exception:
            self.errors.append((model, op, vals, traceback.format_exc(limit=-4)))
        finally:
            self.env.invalidate_all(flush=False)

    def _fuzz(self, user, data):
        if time.monotonic() - self.started > TIME_BUDGET:
            return
        model = data.draw(st.sampled_from(self.models))
        targets = self.targets[model]
        op = data.draw(st.sampled_from(["create", "write"])) if targets else "create"
        target = data.draw(st.sampled_from(targets)) if op == "write" else None
        vals = self._vals(data, model)
        if op == "create":
            vals = {**self._base_vals(model), **vals}
        self._call(user, model, op, vals, target)

    def _report(self):
        _logger.info("Fuzz layer: %s, %s server errors", self.stats, len(self.errors))
        for model, op, vals, error in self.errors[:20]:
            _logger.error("Fuzz: %s.%s(%r)\n%s", model, op, vals, error)

    def _run(self, user):
        if st is None:
            self.skipTest("hypothesis is not installed (setup/requirements-test.txt)")

        @settings(
            max_examples=CALLS_PER_USER,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.data())
        def run(data):
            self._fuzz(user, data)

        run()
        self._report()
        # sudo: every record of the addon, whoever may read it
        stored = {model: self._non_finite(model, self.env[model].sudo().search([]).ids) for model in self.models}
        self.assertFalse({model: ids for model, ids in stored.items() if ids}, "non-finite numbers stored")
        self.assertFalse(
            self.errors,
            "server errors or non-finite numbers from generated calls:\n"
            + "\n".join(f"{m}.{op}({v!r}): {e}" for m, op, v, e in self.errors[:10]),
        )

    def test_r6_fuzz_as_consultant(self):
        self._run(self.consultant)

    def test_r6_fuzz_as_manager(self):
        self._run(self.manager)

    def test_r6_fuzz_zz_enough_calls(self):
        """The layer made at least the calls it promises (unless it ran out of its time)."""
        if time.monotonic() - self.started <= TIME_BUDGET:
            self.assertGreaterEqual(self.stats["calls"], 300, self.stats)
