# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import RedirectWarning, UserError, ValidationError

from ..tools import confidentiality
from . import regulation_day
from .base import workflow_step

CONSULTANT = "sales_consultant_regulation.group_consultant"
MANAGER = "sales_consultant_regulation.group_regulation_manager"
SUPERVISOR = "sales_consultant_regulation.group_supervisor"
# Fields Odoo writes on a record on the user's behalf (a message with an attachment sets the
# record's main attachment): they are not a change of the customer file.
ACKNOWLEDGEMENT_EXEMPT_FIELDS = frozenset({"message_main_attachment_id"})


class SaleRegulation(models.Model):
    """A version of the company's Sales Consultant Work Management Regulation (R1-R10).

    The published version with the latest effective date on or before today is the current
    one; every consultant acknowledges it (sale.regulation.acknowledgement) before they create
    or change customers, leads or orders (R1.3, R10). Its clauses (sale.regulation.clause) trace
    each rule to the mechanism that enforces or measures it.
    """

    _name = "sale.regulation"
    _description = "Sales Consultant Regulation"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = ("state",)
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "effective_date desc, id desc"
    _rec_names_search = ["name", "version"]

    name = fields.Char(required=True, translate=True, tracking=True)
    version = fields.Char(required=True, copy=False, tracking=True, help="e.g. 1.0, 2026-1")
    effective_date = fields.Date(
        required=True,
        default=regulation_day.default_today,
        tracking=True,
        help="From this date on, consultants must have acknowledged this version to work on customers, "
        "leads and orders.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published")],
        default="draft",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    text = fields.Html(translate=True, help="The regulation's preamble; the clauses follow it.")
    clause_ids = fields.One2many("sale.regulation.clause", "regulation_id", string="Clauses", copy=True)
    clause_count = fields.Integer(compute="_compute_clause_count")
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty for a regulation shared by every company.",
    )
    active = fields.Boolean(default=True)
    acknowledgement_ids = fields.One2many("sale.regulation.acknowledgement", "regulation_id", string="Acknowledgements")
    acknowledgement_count = fields.Integer(compute="_compute_acknowledgement_count")
    is_current = fields.Boolean(
        string="Current", compute="_compute_is_current", help="The version in force today in this company."
    )
    acknowledged = fields.Boolean(
        string="Acknowledged by Me", compute="_compute_acknowledged", help="You acknowledged this version."
    )
    acknowledged_date = fields.Datetime(string="Acknowledgement Date", compute="_compute_acknowledged")
    pending_user_ids = fields.Many2many(
        "res.users",
        string="Not Yet Acknowledged",
        compute="_compute_pending_user_ids",
        help="Consultants and supervisors of the company who have not acknowledged this version.",
    )
    pending_count = fields.Integer(compute="_compute_pending_user_ids")

    def _compute_clause_count(self):
        counts = dict(
            self.env["sale.regulation.clause"]._read_group(
                [("regulation_id", "in", self.ids)], ["regulation_id"], ["__count"]
            )
        )
        for regulation in self:
            regulation.clause_count = counts.get(regulation, 0)

    def _compute_acknowledgement_count(self):
        counts = dict(
            self.env["sale.regulation.acknowledgement"]._read_group(
                [("regulation_id", "in", self.ids)], ["regulation_id"], ["__count"]
            )
        )
        for regulation in self:
            regulation.acknowledgement_count = counts.get(regulation, 0)

    @api.depends_context("company")
    def _compute_is_current(self):
        current = self._current()
        for regulation in self:
            regulation.is_current = regulation == current

    @api.depends_context("uid")
    def _compute_acknowledged(self):
        # sudo: a user reads only their own acknowledgement here
        acks = (
            self.env["sale.regulation.acknowledgement"]
            .sudo()
            .search([("regulation_id", "in", self.ids), ("user_id", "=", self.env.uid)])
        )
        dates = {ack.regulation_id: ack.date for ack in acks}
        for regulation in self:
            regulation.acknowledged = regulation in dates
            regulation.acknowledged_date = dates.get(regulation, False)

    def _compute_pending_user_ids(self):
        for regulation in self:
            pending = regulation._pending_users()
            regulation.pending_user_ids = pending
            regulation.pending_count = len(pending)

    @api.constrains("version", "company_id")
    def _check_version_unique(self):
        others = self.with_context(active_test=False).search(
            [("version", "in", self.mapped("version")), ("id", "not in", self.ids)]
        )
        seen = {(r.version, r.company_id) for r in others}
        for regulation in self:
            key = (regulation.version, regulation.company_id)
            if key in seen:
                raise ValidationError(
                    self.env._("Version %(version)s of the regulation exists already.", version=regulation.version)
                )
            seen.add(key)

    # ------------------------------------------------------------------ current version

    @api.model
    def _current(self, company=None):
        """The regulation in force today for ``company`` (the current one by default): the
        published version with the latest effective date on or before today."""
        company = company or self.env.company
        return self.search(
            [
                ("state", "=", "published"),
                ("effective_date", "<=", regulation_day.today(self.env)),
                ("company_id", "in", [False, company.id]),
            ],
            order="effective_date desc, id desc",
            limit=1,
        )

    def _acknowledged_by(self, users):
        """The users of ``users`` who acknowledged this version."""
        self.ensure_one()
        # sudo: who acknowledged is read for the gate and the managers' view, not shown as such
        acks = (
            self.env["sale.regulation.acknowledgement"]
            .sudo()
            .search([("regulation_id", "=", self.id), ("user_id", "in", users.ids)])
        )
        return acks.user_id

    @api.model
    def _gated_users_domain(self, company=None):
        """The users the acknowledgement gate applies to: active internal consultants and
        supervisors, not regulation managers; of ``company`` when given."""
        domain = [
            ("groups_id", "in", self.env.ref(CONSULTANT).ids),
            ("groups_id", "not in", self.env.ref(MANAGER).ids),
            ("share", "=", False),
        ]
        if company:
            domain.append(("company_ids", "in", company.ids))
        return domain

    def _gated_users(self):
        """The users the acknowledgement gate applies to in this version's companies."""
        self.ensure_one()
        return self.env["res.users"].search(self._gated_users_domain(self.company_id))

    def _pending_users(self):
        self.ensure_one()
        if self.state != "published":
            return self.env["res.users"]
        users = self._gated_users()
        return users - self._acknowledged_by(users)

    @api.model
    def _check_acknowledged(self):
        """R1.3, R10: a consultant or supervisor who has not acknowledged the regulation in force
        may not create or change customers, leads or orders. Managers, users outside the
        regulation's groups and Odoo's own work in sudo are not gated."""
        env = self.env
        if env.su:
            return
        user = env.user
        if not user.has_group(CONSULTANT) or user.has_group(MANAGER):
            return
        # sudo: which version is in force, and whether this user acknowledged it, are read the
        # same way whatever the user's record rules
        regulation = self.sudo()._current(env.company)
        if not regulation or regulation._acknowledged_by(user):
            return
        action = env.ref("sales_consultant_regulation.sale_regulation_action_acknowledge")
        raise RedirectWarning(
            env._(
                'R1.3 and R10: you have not acknowledged "%(name)s", version %(version)s, in force since '
                "%(date)s. Until you do, you cannot create or change customers, leads or orders. Open Sales "
                'Regulation > Regulation > Acknowledge the Regulation, read it and click "I Acknowledge".',
                name=regulation.name,
                version=regulation.version,
                date=fields.Date.to_string(regulation.effective_date),
            ),
            action.id,
            env._("Read and Acknowledge"),
        )

    # ------------------------------------------------------------------ actions

    def action_acknowledge(self):
        """The current user acknowledges this version, in one step."""
        self.ensure_one()
        user = self.env.user
        if self.state != "published":
            raise UserError(self.env._("Only a published regulation can be acknowledged."))
        if user.share:
            raise UserError(self.env._("Only internal users acknowledge the regulation."))
        if self._acknowledged_by(user):
            return True
        # sudo: users may not write acknowledgements themselves (they could forge another user's or
        # a date); this one records the current user, now
        self.env["sale.regulation.acknowledgement"].sudo().create(
            {"regulation_id": self.id, "user_id": user.id, "date": fields.Datetime.now()}
        )
        activities = self.activity_ids.filtered(lambda a: a.user_id == user)
        if activities:
            # sudo: the reminder was scheduled by the manager who published the version
            activities.sudo().action_feedback(feedback=self.env._("Acknowledged."))
        return True

    @workflow_step
    def action_publish(self):
        """Publish a version; each consultant and supervisor gets an activity to read and
        acknowledge it by its effective date."""
        for regulation in self:
            if regulation.state == "published":
                continue
            if not regulation.clause_ids:
                raise UserError(self.env._("Add the regulation's clauses before publishing it."))
            regulation.state = "published"
            for user in regulation._pending_users():
                regulation.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=regulation.effective_date,
                    summary=self.env._("Read and acknowledge version %(version)s", version=regulation.version),
                    user_id=user.id,
                )
        return True

    def action_new_version(self):
        """Copy this version with its clauses into a new draft to edit and publish."""
        self.ensure_one()
        new = self.copy(
            {
                "version": confidentiality.next_version(self.version),
                "effective_date": regulation_day.today(self.env),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_acknowledgements(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Acknowledgements"),
            "res_model": "sale.regulation.acknowledgement",
            "view_mode": "list,form",
            "domain": [("regulation_id", "=", self.id)],
            "context": {"default_regulation_id": self.id},
        }

    @api.model
    def action_open_current(self):
        """The menu "Acknowledge the Regulation": the version in force, ready to acknowledge."""
        regulation = self._current()
        if not regulation:
            raise UserError(self.env._("No regulation is in force in this company yet."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("The Regulation"),
            "res_model": self._name,
            "res_id": regulation.id,
            "view_mode": "form",
            "views": [(self.env.ref("sales_consultant_regulation.sale_regulation_view_form").id, "form")],
            "target": "current",
        }
