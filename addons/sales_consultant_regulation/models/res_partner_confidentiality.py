# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R10.1 on customers: who reads a customer (its salesperson, readers through deals), what a reader
who is not its consultant sees of its figures, and contacts following their company's owner."""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .sale_regulation import CONSULTANT, MANAGER, SUPERVISOR

# R10.1 financial data: the customer's budget and revenue are shown to its own consultant, the
# supervisor of that consultant's team and the managers, not to a consultant who reads the
# customer only through a deal of theirs.
PRIVATE_FIGURES = frozenset({"budget_amount", "premium_revenue"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    # R10: the Salesperson owns the customer; the record rules filter on it.
    user_id = fields.Many2one(index=True)

    # Leads and opportunities of the customer, archived ones included (crm's opportunity_ids
    # leaves leads and archived ones out).
    regulation_lead_ids = fields.One2many(
        "crm.lead",
        "partner_id",
        string="All Leads",
        context={"active_test": False},
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )

    regulation_reader_ids = fields.Many2many(
        "res.users",
        "res_partner_regulation_reader_rel",
        "partner_id",
        "user_id",
        string="Readers Through Deals",
        compute="_compute_regulation_reader_ids",
        store=True,
        help="Salespersons of this customer's leads and orders who are not its own Salesperson: they may read "
        "it (R10.1). Kept apart so that the record rules read a short list, not every lead and order.",
    )

    regulation_shared = fields.Boolean(
        string="Shared with Me",
        compute="_compute_regulation_shared",
        search="_search_regulation_shared",
        help="Readable by every consultant although not theirs: a user's or a company's contact, or the customer "
        "of one of your leads or orders (R10.1).",
    )

    def init(self):
        res = super().init()
        # The record rules on customers read this small table for every search of a consultant:
        # give PostgreSQL its true size at once (an unanalysed table is assumed large, which
        # inflates the plans' costs) instead of waiting for autovacuum.
        self.env.cr.execute("ANALYZE res_partner_regulation_reader_rel")
        return res

    @api.depends("regulation_reader_ids", "user_ids.share", "ref_company_ids")
    @api.depends_context("uid")
    def _compute_regulation_shared(self):
        shared = self.search([("id", "in", self.ids), ("regulation_shared", "=", True)]) if self.ids else self
        for partner in self:
            partner.regulation_shared = partner in shared

    def _search_regulation_shared(self, operator, value):
        """The partners the record rules let every consultant read (R10.1): users' contacts,
        the companies' contacts and the customers the user has a lead or order on. One array
        computed once per query, so that PostgreSQL can combine it with the Salesperson index."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        # The SQL below reads these tables directly: write what the ORM still holds first.
        self.env["res.partner"].flush_model(["regulation_reader_ids"])
        self.env["res.users"].flush_model(["share", "partner_id"])
        self.env["res.company"].flush_model(["partner_id"])
        shared = SQL(
            """ANY(ARRAY(
                SELECT partner_id FROM res_users WHERE NOT share
                 UNION SELECT partner_id FROM res_company
                 UNION SELECT partner_id FROM res_partner_regulation_reader_rel WHERE user_id = %s
            ))""",
            self.env.uid,
        )
        domain = [("id", "=", shared)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends(
        "user_id",
        "regulation_lead_ids.user_id",
        "regulation_lead_ids.regulation_reader_granted",
        "sale_order_ids.user_id",
        "sale_order_ids.regulation_reader_granted",
    )
    def _compute_regulation_reader_ids(self):
        """The salespersons of the customer's leads and orders that open it to them (R10.1):
        a deal made by a consultant on a customer he could not read opens nothing."""
        partners = self.filtered("id")
        readers = defaultdict(set)
        domain = [
            ("partner_id", "in", partners.ids),
            ("user_id", "!=", False),
            ("regulation_reader_granted", "=", True),
        ]
        for model in ("crm.lead", "sale.order"):
            groups = (
                self.env[model]
                .with_context(active_test=False)
                ._read_group(domain, ["partner_id"], ["user_id:array_agg"])
            )
            for partner, user_ids in groups:
                readers[partner.id].update(user_ids)
        for partner in self:
            user_ids = readers.get(partner.id, set()) - {partner.user_id.id}
            partner.regulation_reader_ids = [Command.set(sorted(user_ids))]

    def _regulation_figures_hidden(self):
        """The partners of ``self`` whose private figures (PRIVATE_FIGURES) the current user
        may not see (R10.1): those owned by a consultant who is neither the user nor, for a
        supervisor, a member of a team the user leads. Managers, users outside the regulation's
        groups and Odoo's own work in sudo see them."""
        env = self.env
        user = env.user
        if env.su or not self or not user.has_group(CONSULTANT) or user.has_group(MANAGER):
            return self.browse()
        allowed = {user.id}
        if user.has_group(SUPERVISOR):
            # sudo: the members of the teams the user leads, whatever the user's rights on teams
            teams = env["crm.team"].sudo().search([("user_id", "=", user.id)])
            allowed.update(teams.crm_team_member_ids.user_id.ids)
        return self.filtered(lambda partner: partner.user_id and partner.user_id.id not in allowed)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        private = PRIVATE_FIGURES.intersection(fnames)
        hidden = set(self._regulation_figures_hidden().ids) if private else set()
        if hidden:
            for values in result:
                if values["id"] in hidden:
                    values.update(dict.fromkeys(private, False))
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        private = {path[0] for path in fields if path and path[0] in PRIVATE_FIGURES}
        hidden = self._regulation_figures_hidden() if private else self.browse()
        if not hidden:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        # The export reads the records' values from the cache: it gets 0 for the hidden ones,
        # and the real values are read again afterwards.
        for name in private:
            field = self._fields[name]
            self.env.cache.update(hidden, field, [field.convert_to_cache(False, hidden)] * len(hidden))
        try:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        finally:
            hidden.invalidate_recordset(list(private))

    def _propagate_owner_to_contacts(self, old_owners, new_owner):
        """The contacts of a company follow it to its new Salesperson when they had the old
        one, or none, so they do not stay visible to the previous consultant (R10)."""
        children = self.with_context(active_test=False).child_ids.filtered(
            lambda child: (
                not child.is_company
                and child.user_id.id != new_owner
                and (not child.user_id or child.user_id == old_owners.get(child.parent_id.id))
            )
        )
        if children:
            children.write({"user_id": new_owner})

    def _check_access(self, operation):
        """R10: the regulation's users change only their own customers. For consultants and
        supervisors (not managers nor users who see all documents), the contacts of the
        companies and of the internal users are read-only (they are printed on every
        quotation and invoice), and a customer of nobody may be changed or deleted only by the
        one who created it; the record rules give the rest (own customers, for a supervisor
        those of the teams he leads). Users outside the regulation's groups keep Odoo's rights."""
        result = super()._check_access(operation)
        if operation == "read" or self.env.su or not any(self._ids):
            return result
        user = self.env.user
        if not user.has_group(CONSULTANT) or user.has_group(MANAGER):
            return result
        if user.has_group("sales_team.group_sale_salesman_all_leads"):
            return result
        # one's own contact card stays one's own (Odoo's preferences)
        candidates = (self - result[0] if result else self) - user.partner_id
        # sudo: who owns and who made the contacts, and whether they are a company's or a user's
        forbidden = candidates.sudo().filtered(
            lambda partner: (
                partner.ref_company_ids
                or partner.with_context(active_test=False).user_ids.filtered(lambda u: not u.share)
                or (not partner.user_id and partner.create_uid != user)
            )
        )
        if not forbidden:
            return result
        # sudo: the name of the first contact refused, for the message
        name = forbidden[:1].display_name
        forbidden = self.browse(forbidden.ids)

        def make_error():
            return AccessError(
                self.env._(
                    "R10: you may not change or delete the contact %(partner)s: the contacts of the company and "
                    "of its users, and customers nobody is assigned to that you did not create, are changed by a "
                    "regulation manager. Nothing was saved.",
                    partner=name,
                )
            )

        if result:
            return result[0] | forbidden, result[1]
        return forbidden, make_error
