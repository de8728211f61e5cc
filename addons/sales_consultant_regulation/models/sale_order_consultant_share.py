# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError


class SaleOrderConsultantShare(models.Model):
    """R7.1 teamwork: the consultants who work a deal together and the share of its credit
    each one gets. The appraisal figures and the incentive statements weight every order line
    by these shares; an opportunity's split is carried to its quotations."""

    _name = "sale.order.consultant.share"
    _description = "Consultant Share of a Deal"
    _order = "percent desc, id"
    _rec_name = "user_id"

    order_id = fields.Many2one("sale.order", ondelete="cascade", index=True)
    lead_id = fields.Many2one("crm.lead", ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Consultant",
        required=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    percent = fields.Float(string="Share (%)", required=True, default=100.0, digits=(5, 2))
    role = fields.Char(help="The part of the work this consultant does on the deal (R7.1).")
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, index=True)

    _sql_constraints = [
        (
            "one_parent",
            "CHECK((order_id IS NULL) != (lead_id IS NULL))",
            "A consultant share belongs to exactly one order or one opportunity.",
        ),
        (
            "percent_range",
            "CHECK(percent > 0 AND percent <= 100)",
            "A consultant share is above 0 % and at most 100 %.",
        ),
        ("order_user_unique", "UNIQUE(order_id, user_id)", "A consultant has one share per order."),
        ("lead_user_unique", "UNIQUE(lead_id, user_id)", "A consultant has one share per opportunity."),
    ]

    @api.depends("order_id.company_id", "lead_id.company_id")
    def _compute_company_id(self):
        for share in self:
            share.company_id = share.order_id.company_id or share.lead_id.company_id

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._regulation_check_vals(vals, create=True)
        self._check_deal_editable(
            self._ids_of(vals_list, "order_id", "sale.order"), self._ids_of(vals_list, "lead_id", "crm.lead")
        )
        orders = self.env["sale.order"].browse({vals["order_id"] for vals in vals_list if vals.get("order_id")})
        before = self._check_confirmed_change(orders)
        shares = super().create(vals_list)
        self._log_confirmed_change(before)
        return shares

    def write(self, vals):
        self._regulation_check_vals(vals)
        self._check_deal_editable(
            self.order_id | self._ids_of([vals], "order_id", "sale.order"),
            self.lead_id | self._ids_of([vals], "lead_id", "crm.lead"),
        )
        orders = self.order_id
        if vals.get("order_id"):
            orders |= self.env["sale.order"].browse(vals["order_id"])
        before = self._check_confirmed_change(orders)
        res = super().write(vals)
        self._log_confirmed_change(before)
        return res

    def unlink(self):
        self._check_deal_editable(self.order_id, self.lead_id)
        before = self._check_confirmed_change(self.order_id)
        res = super().unlink()
        self._log_confirmed_change(before)
        return res

    # ------------------------------------------------------------------ who may share (R7.1)

    @api.model
    def _ids_of(self, vals_list, name, model):
        ids = {vals[name] for vals in vals_list if isinstance(vals.get(name), int) and not isinstance(vals[name], bool)}
        return self.env[model].browse(sorted(ids)).exists()

    @api.model
    def _check_deal_editable(self, orders, leads):
        """R7.1, R6.4: only who may change a deal shares its credit: creating, changing or
        removing a share needs write access to its order or opportunity (a consultant cannot
        credit himself with a deal of another team he cannot even read). The system's default
        and carried splits run in sudo."""
        if self.env.su:
            return
        for deals in (orders, leads):
            forbidden = deals - deals._filtered_access("write")
            if forbidden:
                deal = forbidden[0].display_name if forbidden[0].has_access("read") else f"#{forbidden[0].id}"
                raise AccessError(
                    self.env._(
                        'R7.1 split credit: you may not share the credit of "%(deal)s": only who may change '
                        "the deal shares it. Nothing was saved.",
                        deal=deal,
                    )
                )

    # ------------------------------------------------------------------ confirmed orders (R7.1)

    @api.model
    def _check_confirmed_change(self, orders):
        """Refuse a change to the split of a confirmed order unless the user is a supervisor
        (R7.1: the credit of a sale is settled when the order is confirmed). Return the
        confirmed orders with their split before the change, for the chatter."""
        confirmed = orders.filtered(lambda order: order.state == "sale")
        if not confirmed:
            return {}
        if not self.env.su and not self.env.user.has_group("sales_consultant_regulation.group_supervisor"):
            raise AccessError(
                self.env._(
                    'R7.1 split credit: the order "%(order)s" is confirmed; only a supervisor may change '
                    "how its credit is shared between consultants.",
                    order=confirmed[0].display_name,
                )
            )
        return {order: order._consultant_share_summary() for order in confirmed}

    @api.model
    def _log_confirmed_change(self, before):
        for order, summary in before.items():
            if not order.exists():
                continue
            after = order._consultant_share_summary()
            if after == summary:
                continue
            order.message_post(
                body=Markup("%s<br/>%s &#8594; %s")
                % (
                    self.env._("Consultant shares changed by %(user)s (R7.1):", user=self.env.user.name),
                    summary or "-",
                    after or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------ defaults

    @api.model
    def _default_for(self, records, parent_field):
        """Give each regulated record of ``records`` (orders or opportunities) without shares
        100 % to its salesperson (R7.1 default); one create for the whole set."""
        vals_list = [
            {parent_field: record.id, "user_id": record.user_id.id, "percent": 100.0}
            for record in records
            if record.regulation_enabled and record.user_id and not record.consultant_share_ids
        ]
        if vals_list:
            # sudo: the system's default split, not a user's change of a confirmed order's credit
            self.sudo().create(vals_list)

    @api.model
    def _follow_salesperson(self, records, old_users):
        """A record whose whole credit went to its previous salesperson follows the new one;
        a split someone made is left as it is. Confirmed orders never change here."""
        for record in records:
            shares = record.consultant_share_ids
            old_user = old_users.get(record.id)
            if (
                len(shares) == 1
                and record.user_id
                and shares.user_id == old_user
                and shares.user_id != record.user_id
                and getattr(record, "state", "draft") != "sale"
            ):
                # sudo: the system's default split follows the salesperson the user just set,
                # on a deal he may no longer change once it is another's
                shares.sudo().user_id = record.user_id

    @api.model
    def _copy_from_leads(self, orders):
        """Carry each opportunity's split to its new quotations (R7.1)."""
        vals_list = []
        for order in orders:
            # sudo: a colleague's share of the opportunity may be hidden from the one who quotes it
            lead_shares = order.opportunity_id.sudo().consultant_share_ids
            if order.consultant_share_ids or not lead_shares:
                continue
            vals_list += [
                {"order_id": order.id, "user_id": share.user_id.id, "percent": share.percent, "role": share.role}
                for share in lead_shares
            ]
        if vals_list:
            # sudo: the split of the opportunity is carried as it is, including hidden shares
            self.sudo().create(vals_list)
