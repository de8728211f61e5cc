# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every role, every record: each user opens every menu of the addon and of Sales/CRM it sees
and reads the first records of each window action with the fields of its views, as the web
client does (``get_views``, then ``web_search_read`` and ``web_read`` with the specification
built from the views' arch, x2many sub-views included). Runs on the demo data."""

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval, time

MODULE = "sales_consultant_regulation"
ROOT_MENUS = (f"{MODULE}.menu_root", "sale.sale_menu_root", "crm.crm_menu_root")
VIEW_TYPES = ("list", "kanban", "form")
SUB_VIEW_TAGS = ("list", "kanban", "form")
# the web client reads a list page of 80 records; the walk opens the form of the first ten
LIST_LIMIT = 80
FIRST = 10


def _own_fields(node):
    """The field nodes of a view arch, without those of its x2many sub-views."""
    for child in node.iterchildren(tag=etree.Element):
        if child.tag == "field":
            yield child
        else:
            yield from _own_fields(child)


def view_specification(env, model_name, arch_node):
    """The specification the web client sends for the fields of a view."""
    model = env[model_name]
    spec = {}
    for node in _own_fields(arch_node):
        field = model._fields.get(node.get("name"))
        if field is None:
            continue
        if field.type in ("many2one", "many2one_reference"):
            spec[field.name] = {"fields": {"display_name": {}}} if field.type == "many2one" else {}
        elif field.type in ("one2many", "many2many"):
            sub = {}
            for sub_view in node.iterchildren(*SUB_VIEW_TAGS):
                for name, value in view_specification(env, field.comodel_name, sub_view).items():
                    sub.setdefault(name, value)
            sub.setdefault("display_name", {})
            spec[field.name] = {"fields": sub, "limit": 40}
        else:
            spec[field.name] = {}
    return spec


@tagged("post_install", "-at_install")
class TestEveryRoleEveryRecord(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        demo = {
            "consultant": cls.env.ref(f"{MODULE}.user_consultant_chen_demo", raise_if_not_found=False),
            "supervisor": cls.env.ref(f"{MODULE}.user_supervisor_demo", raise_if_not_found=False),
            "manager": cls.env.ref(f"{MODULE}.user_manager_demo", raise_if_not_found=False),
        }
        cls.demo_loaded = all(demo.values())
        outside_team = cls.env["crm.team"].create({"name": "Plain Sales Team"})
        salesperson = new_test_user(
            cls.env, login="plain_salesperson", groups="base.group_user,sales_team.group_sale_salesman"
        )
        outside_team.crm_team_member_ids = [Command.create({"user_id": salesperson.id})]
        internal = new_test_user(cls.env, login="plain_internal", groups="base.group_user")
        cls.users = dict(demo, salesperson=salesperson, internal=internal)

    def _menus(self, user):
        """The menus the web client shows ``user`` under the roots: visible, and so are all
        their ancestors (``_visible_menu_ids`` keeps a visible child of a hidden root)."""
        Menu = self.env["ir.ui.menu"].with_user(user)
        visible_ids = Menu._visible_menu_ids()
        roots = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in ROOT_MENUS]
        root_ids = {root.id for root in roots if root}

        def shown(menu):
            path = [int(i) for i in (menu.parent_path or "").split("/") if i]
            return bool(root_ids & set(path)) and all(i in visible_ids for i in path)

        return Menu.browse(visible_ids).filtered(shown)

    def _eval_context(self, user):
        return {
            "uid": user.id,
            "user": user,
            "context_today": lambda: fields.Date.context_today(user),
            "datetime": safe_datetime,
            "time": time,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "active_id": False,
            "active_ids": [],
            "allowed_company_ids": user.company_ids.ids,
            "current_company_id": user.company_id.id,
        }

    def _walk(self, user):
        """Problems met by ``user`` opening its menus: (menu, model, step, error)."""
        problems = []
        opened = set()
        eval_context = self._eval_context(user)
        for menu in self._menus(user):
            action = menu.sudo().action
            if not action or action._name != "ir.actions.act_window":
                continue
            key = action.id
            if key in opened:
                continue
            opened.add(key)
            model_name = action.res_model
            try:
                domain = safe_eval(action.domain or "[]", eval_context)
                context = safe_eval(action.context or "{}", eval_context)
            except (NameError, ValueError, SyntaxError):  # an action needing a record (active_id)
                domain, context = [], {}
            context = {k: v for k, v in context.items() if not k.startswith(("search_default_", "group_by"))}
            env = self.env(user=user, context=dict(self.env.context, **context))
            Model = env[model_name]
            if not Model.has_access("read"):
                problems.append((menu.complete_name, model_name, "menu visible", "no read access to the model"))
                continue
            views = [(view_id, kind) for view_id, kind in action.views if kind in VIEW_TYPES]
            for kind in VIEW_TYPES:
                if kind in (action.view_mode or "").split(",") and kind not in {v[1] for v in views}:
                    views.append((False, kind))
            try:
                result = Model.get_views(views)
            except AccessError as exc:
                problems.append((menu.complete_name, model_name, "get_views", str(exc)))
                continue
            specs = {
                kind: view_specification(env, model_name, etree.fromstring(view["arch"]))
                for kind, view in result["views"].items()
                if kind in VIEW_TYPES
            }
            records = Model
            for kind in ("list", "kanban"):
                if kind not in specs:
                    continue
                try:
                    found = Model.web_search_read(domain, specs[kind], limit=LIST_LIMIT)
                    records = Model.browse([values["id"] for values in found["records"][:FIRST]])
                except AccessError as exc:
                    problems.append((menu.complete_name, model_name, f"web_search_read ({kind})", str(exc)))
            if "form" in specs:
                if not records:
                    records = Model.search(domain, limit=FIRST)
                for record in records:
                    try:
                        record.web_read(specs["form"])
                    except AccessError as exc:
                        problems.append((menu.complete_name, model_name, f"web_read (form) of {record.id}", str(exc)))
            env.invalidate_all()
        return problems, opened

    def test_every_role_opens_every_record_it_finds(self):
        if not self.demo_loaded:
            self.skipTest("the walk reads the demo data, which is not installed")
        report = []
        for role, user in self.users.items():
            problems, opened = self._walk(user)
            if role in ("consultant", "supervisor", "manager", "salesperson"):
                self.assertTrue(opened, f"{role} opens at least one Sales or Regulation menu")
            report += [
                f"{role}: {menu} ({model}) {step}: {error.splitlines()[0]}" for menu, model, step, error in problems
            ]
        self.assertFalse(report, "\n".join(report))

    def test_the_walk_meets_what_the_web_client_would(self):
        """The walk reads x2many sub-views: a view showing a one2many of a model the user
        cannot read is reported, not skipped."""
        internal = self.users["internal"]
        arch = etree.fromstring(
            "<form><field name='name'/><field name='users'><list><field name='login'/></list></field></form>"
        )
        spec = view_specification(self.env, "res.groups", arch)
        self.assertEqual(spec["users"]["fields"], {"login": {}, "display_name": {}})
        self.assertEqual(spec["name"], {})
        lead = self.env["crm.lead"].create({"name": "Walk probe"})
        with self.assertRaises(AccessError):
            lead.with_user(internal).web_read({"name": {}})

    def test_r7_1_statement_shows_a_shared_order_to_the_consultant_credited(self):
        """consultant.chen's statement holds her share of a colleague's order: she reads the
        line's document and product, and nothing more of that order."""
        if not self.demo_loaded:
            self.skipTest("the statement of the demo consultant is demo data")
        chen = self.users["consultant"]
        lines = self.env["sale.incentive.statement.line"].search(
            [("statement_id.user_id", "=", chen.id), ("sale_line_id", "!=", False)]
        )
        shared = lines.filtered(lambda line: not line.sale_line_id.order_id.with_user(chen).has_access("read"))
        self.assertTrue(shared, "the demo credits chen with a share of an order she cannot read")
        line = shared[0]
        order = line.sale_line_id.order_id
        statement = line.statement_id.with_user(chen)
        views = statement.get_views([(False, "form")])
        spec = view_specification(statement.env, statement._name, etree.fromstring(views["views"]["form"]["arch"]))
        values = statement.web_read(spec)[0]
        read_lines = {values_line["id"]: values_line for values_line in values["line_ids"]}
        self.assertEqual(read_lines[line.id]["document"], order.name)
        self.assertEqual(read_lines[line.id]["product_id"]["id"], line.sale_line_id.product_id.id)
        with self.assertRaises(AccessError):
            order.with_user(chen).read(["amount_total"])
        with self.assertRaises(AccessError):
            line.sale_line_id.with_user(chen).read(["price_unit"])

    def test_r4_8_orders_with_survey_answers_open_for_every_role(self):
        """Satisfaction answers are survey records: an order that has some opens for every
        reader of the order (its form, and read() of all its fields as Odoo's own tests do)."""
        if not self.demo_loaded:
            self.skipTest("the answered surveys are demo data")
        orders = self.env["survey.user_input"].search([("regulation_order_id", "!=", False)]).regulation_order_id
        self.assertTrue(orders, "the demo has orders with satisfaction answers")
        opened = 0
        for role, user in self.users.items():
            readable = orders.with_user(user)._filtered_access("read")
            if role in ("supervisor", "manager"):
                self.assertTrue(readable, f"{role} reads an order with answers")
            if not readable:
                continue
            form = readable.get_views([(False, "form")])["views"]["form"]["arch"]
            spec = view_specification(readable.env, "sale.order", etree.fromstring(form))
            for order in readable:
                with self.subTest(role=role, order=order.name):
                    order.web_read(spec)
                    order.read()
                    opened += 1
        self.assertTrue(opened)
