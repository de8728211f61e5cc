# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .base import workflow_action, workflow_step

KINDS = [
    ("need", "Customer Need"),
    ("product_issue", "Product Issue"),
    ("competitor", "Competitor"),
    ("price", "Price"),
    ("trend", "Market Trend"),
    ("suggestion", "Suggestion"),
]
STATES = [
    ("new", "New"),
    ("routed", "Routed"),
    ("acknowledged", "Acknowledged"),
    ("done", "Done"),
    ("rejected", "Rejected"),
]
TRANSITIONS = {
    "new": {"routed"},
    "routed": {"acknowledged", "done", "rejected", "new"},
    "acknowledged": {"done", "rejected"},
    "done": {"acknowledged"},
    "rejected": {"acknowledged"},
}
# What a department manager who is not the author's supervisor may change: the answer.
ANSWER_FIELDS = {"state", "answer"}
# When it was routed and who answered when: recorded by the system, never typed (R7.2).
SYSTEM_FIELDS = frozenset({"routed_date", "answer_user_id", "answer_date", "escalated_date"})
ANSWER_STATES = ("acknowledged", "done", "rejected")
# Routed and not answered yet: the response deadline runs (R2.5).
WAITING_STATES = ("routed", "acknowledged")
ROUTED = "sales_consultant_regulation.mail_activity_type_market_feedback"


def _has_text(html):
    return bool(html and Markup(html).striptags().strip())


class CrmMarketFeedback(models.Model):
    """R2.5, R7.2: market information a consultant reports (needs, product issues, competitors,
    prices, trends, suggestions), routed to the departments concerned, whose managers get an
    activity and answer it."""

    _name = "crm.market.feedback"
    _description = "Market Feedback"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = ("state", *sorted(SYSTEM_FIELDS))
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.regulation.consultant.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, tracking=True)
    kind = fields.Selection(KINDS, required=True, default="need", tracking=True)
    type_id = fields.Many2one(
        "crm.market.feedback.type",
        check_company=True,
        tracking=True,
        help="R2.5: the type decides the departments it is routed to and their response deadline.",
    )
    description = fields.Html(help="R2.5: what was observed, where and from whom.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", check_company=True)
    lead_id = fields.Many2one("crm.lead", check_company=True, index="btree_not_null")
    product_tmpl_id = fields.Many2one("product.template", string="Product", check_company=True)
    department_ids = fields.Many2many(
        "hr.department",
        string="Departments",
        check_company=True,
        tracking=True,
        help="R7.2: the departments the feedback is routed to (marketing, product, customer service, logistics).",
    )
    state = fields.Selection(STATES, required=True, default="new", tracking=True, copy=False, index=True, readonly=True)
    routed_date = fields.Datetime(string="Routed On", readonly=True, copy=False)
    answer = fields.Html(help="The department's answer: what it did or why not.")
    answer_user_id = fields.Many2one("res.users", string="Answered By", readonly=True, copy=False)
    answer_date = fields.Datetime(string="Answered On", readonly=True, copy=False)
    response_deadline = fields.Datetime(
        compute="_compute_response_deadline",
        store=True,
        help="R2.5: routed on plus the response days of its type; the departments answer by then.",
    )
    escalated_date = fields.Datetime(
        string="Escalated On",
        readonly=True,
        copy=False,
        help="R2.5: when the feedback, unanswered past its deadline, was escalated to its departments' managers.",
    )
    overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_overdue", help="R2.5: routed, unanswered, past its deadline."
    )

    @api.depends("routed_date", "type_id.response_days")
    def _compute_response_deadline(self):
        for feedback in self:
            days = feedback.type_id.response_days
            feedback.response_deadline = (
                feedback.routed_date + timedelta(days=days) if feedback.routed_date and days else False
            )

    @api.depends("state", "response_deadline")
    def _compute_overdue(self):
        now = fields.Datetime.now()
        for feedback in self:
            feedback.overdue = bool(
                feedback.state in WAITING_STATES and feedback.response_deadline and feedback.response_deadline < now
            )

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = [("state", "in", WAITING_STATES), ("response_deadline", "<", fields.Datetime.now())]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    @api.onchange("type_id")
    def _onchange_type_id(self):
        if self.type_id.kind:
            self.kind = self.type_id.kind
        if self.type_id.department_ids and self.state == "new":
            self.department_ids = self.type_id.department_ids

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.lead_id.partner_id:
            self.partner_id = self.lead_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_system_fields(vals)
            self._regulation_check_vals(vals, create=True)
        if any(vals.get("state", "new") != "new" for vals in vals_list):
            raise ValidationError(self.env._("R7.2: market feedback starts as new, then is routed."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_fields(vals)
        self._regulation_check_vals(vals)
        self._check_answer_only(vals)
        new_state = vals.get("state")
        if new_state:
            for feedback in self:
                if new_state != feedback.state and new_state not in TRANSITIONS[feedback.state]:
                    raise ValidationError(
                        self.env._(
                            "R7.2: the feedback %(name)s cannot go from %(old)s to %(new)s.",
                            name=feedback.name,
                            old=dict(STATES)[feedback.state],
                            new=dict(STATES)[new_state],
                        )
                    )
            if new_state in ANSWER_STATES:
                self._check_department_answers(new_state)
            vals = dict(vals)
            now = fields.Datetime.now()
            if new_state == "routed":
                vals.setdefault("routed_date", now)
            elif new_state in ("done", "rejected"):
                vals.update(answer_user_id=self.env.uid, answer_date=now)
        before = {feedback: feedback.department_ids for feedback in self} if "department_ids" in vals else {}
        res = super().write(vals)
        self._check_routing()
        self._check_answered()
        for feedback in self.filtered(lambda f: f.state in ("routed", "acknowledged")):
            if new_state == "routed":
                feedback._notify_departments(feedback.department_ids)
            elif "department_ids" in vals:
                feedback._notify_departments(feedback.department_ids - before[feedback])
        if new_state in ("done", "rejected"):
            self.activity_feedback([ROUTED], feedback=self.env._("Answered by the department"))
            self._notify_consultant()
        elif new_state == "new":
            # taken back before any answer: the departments have nothing left to do
            self.activity_unlink([ROUTED])
        return res

    def _check_system_fields(self, vals):
        written = SYSTEM_FIELDS.intersection(vals)
        if written and not self.env.su:
            raise AccessError(
                self.env._(
                    "R7.2: %(fields)s are recorded when the feedback is routed and answered; they cannot be set.",
                    fields=", ".join(sorted(self._fields[name].string for name in written)),
                )
            )

    def _check_answer_only(self, vals):
        """A department manager who reads the feedback only through their department answers it;
        the rest stays the consultant's."""
        if self.env.su or self.env.user.has_group("sales_consultant_regulation.group_regulation_manager"):
            return
        extra = set(vals) - ANSWER_FIELDS
        if not extra:
            return
        user = self.env.user
        for feedback in self:
            if user not in (feedback.user_id | feedback.team_id.user_id):
                raise AccessError(
                    self.env._(
                        "R7.2: a department answers the feedback %(name)s; only its consultant changes %(fields)s.",
                        name=feedback.name,
                        fields=", ".join(sorted(self._fields[name].string for name in extra if name in self._fields)),
                    )
                )

    def _check_department_answers(self, new_state):
        """Acknowledging, closing and rejecting are the answer of a department it is routed to."""
        if self.env.su or self.env.user.has_group("sales_consultant_regulation.group_regulation_manager"):
            return
        for feedback in self:
            # sudo: the managers of its departments are employees the consultant may not read
            if self.env.user not in feedback.department_ids.sudo().manager_id.user_id:
                raise AccessError(
                    self.env._(
                        "R7.2: only the manager of a department the feedback %(name)s is routed to marks it %(state)s.",
                        name=feedback.name,
                        state=dict(STATES)[new_state],
                    )
                )

    def _check_routing(self):
        for feedback in self.filtered(lambda f: f.state != "new"):
            missing = []
            if not _has_text(feedback.description):
                missing.append(self.env._("a description"))
            if not feedback.department_ids:
                missing.append(self.env._("at least one department"))
            if missing:
                raise ValidationError(
                    self.env._(
                        "R7.2: the feedback %(name)s is routed only with %(missing)s.",
                        name=feedback.name,
                        missing=self.env._(" and ").join(missing),
                    )
                )

    def _check_answered(self):
        for feedback in self.filtered(lambda f: f.state in ("done", "rejected")):
            if not _has_text(feedback.answer):
                raise ValidationError(
                    self.env._(
                        "R7.2: the feedback %(name)s is marked %(state)s only with the department's answer.",
                        name=feedback.name,
                        state=dict(STATES)[feedback.state],
                    )
                )

    def _notify_departments(self, departments):
        """R7.2: each department's manager follows the feedback and gets an activity to answer it."""
        self.ensure_one()
        # sudo: a consultant routes to a department without reading its employees; only the
        # managers' users of these departments are read.
        managers = departments.sudo().manager_id.user_id
        if not managers:
            return
        self.message_subscribe(partner_ids=managers.partner_id.ids)
        activity_type = self.env.ref(ROUTED)
        waiting = self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id
        for manager in managers - waiting:
            self.activity_schedule(
                ROUTED,
                user_id=manager.id,
                summary=self.env._("Market feedback to answer: %(name)s", name=self.name),
            )

    def _notify_consultant(self):
        """R7.2: the consultant who raised the feedback hears the department's answer, in their
        language: a message addressed to them on the feedback (in their inbox or by e-mail)."""
        for feedback in self:
            consultant = feedback.user_id
            if not consultant or consultant == self.env.user:
                continue
            env = self.with_context(lang=consultant.lang or self.env.lang).env
            state = dict(self._fields["state"]._description_selection(env))[feedback.state]
            body = Markup("<p>%s</p>%s") % (
                env._(
                    "The department answered your market feedback %(name)s: %(state)s.",
                    name=feedback.name,
                    state=state,
                ),
                Markup(feedback.answer or ""),
            )
            feedback.message_post(
                body=body,
                partner_ids=consultant.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def _route_by_type(self):
        """R2.5: a feedback routed without departments goes to those of its type."""
        for feedback in self.filtered(lambda f: not f.department_ids and f.type_id.department_ids):
            # sudo: a consultant routes to the type's departments without reading their employees
            feedback.department_ids = feedback.type_id.sudo().department_ids

    @workflow_step
    def action_route(self):
        self._route_by_type()
        self.write({"state": "routed"})
        return True

    @api.model
    def _cron_escalate_overdue(self):
        """R2.5: a feedback routed and still unanswered past its response deadline is escalated
        once: its departments' managers get an activity, the feedback is marked escalated (the
        regulation managers' *Escalated* filter). Returns the number escalated."""
        overdue = self.search([("overdue", "=", True), ("escalated_date", "=", False)])
        if not overdue:
            return 0
        model_id = self.env["ir.model"]._get_id(self._name)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        today = fields.Date.context_today(self)
        activities = []
        for feedback in overdue:
            # sudo: the managers of its departments are employees the cron's user may not read
            managers = feedback.department_ids.sudo().manager_id.user_id
            if managers:
                feedback.message_subscribe(partner_ids=managers.partner_id.ids)
            for manager in managers:
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": feedback.id,
                        "activity_type_id": activity_type.id,
                        "user_id": manager.id,
                        "date_deadline": today,
                        "summary": feedback._escalation_summary(manager.lang),
                    }
                )
            feedback._message_log(body=feedback._escalation_summary())
        with workflow_action():
            # sudo: when it was escalated is the system's record, which no user writes (SYSTEM_FIELDS)
            overdue.sudo().write({"escalated_date": fields.Datetime.now()})
        if activities:
            self.env["mail.activity"].create(activities)
        return len(overdue)

    def _escalation_summary(self, lang=None):
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        return env._(
            "Escalated: the market feedback %(name)s is not answered by its response deadline (R2.5).",
            name=self.name,
        )

    @workflow_step
    def action_acknowledge(self):
        self.write({"state": "acknowledged"})
        return True

    @workflow_step
    def action_done(self):
        self.write({"state": "done"})
        return True

    @workflow_step
    def action_reject(self):
        self.write({"state": "rejected"})
        return True

    @workflow_step
    def action_reset(self):
        self.write({"state": "new"})
        return True
