# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .sale_regulation import ACKNOWLEDGEMENT_EXEMPT_FIELDS, CONSULTANT, MANAGER


class ResPartner(models.Model):
    _inherit = "res.partner"

    # R10: the Salesperson owns the customer; the record rules filter on it.
    user_id = fields.Many2one(index=True)
    # Leads and opportunities of the customer, archived ones included (crm's opportunity_ids
    # leaves leads and archived ones out).
    regulation_lead_ids = fields.One2many(
        "crm.lead", "partner_id", string="All Leads", context={"active_test": False}, readonly=True
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

    @api.depends("user_id", "regulation_lead_ids.user_id", "sale_order_ids.user_id")
    def _compute_regulation_reader_ids(self):
        partners = self.filtered("id")
        readers = defaultdict(set)
        domain = [("partner_id", "in", partners.ids), ("user_id", "!=", False)]
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

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.regulation"]._check_acknowledged()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - ACKNOWLEDGEMENT_EXEMPT_FIELDS and self - self.env.user.partner_id:
            self.env["sale.regulation"]._check_acknowledged()
        old_owners = {}
        if "user_id" in vals:
            old_owners = {partner.id: partner.user_id for partner in self}
        res = super().write(vals)
        if old_owners:
            self._propagate_owner_to_contacts(old_owners, vals["user_id"])
        return res

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
