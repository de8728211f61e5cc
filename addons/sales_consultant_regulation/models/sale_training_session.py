# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .base import workflow_step

SUBJECTS = [
    ("product", "Product Knowledge"),
    ("skills", "Sales Skills"),
    ("industry", "Industry and Market"),
    ("service", "Customer Service"),
    ("teamwork", "Teamwork"),
    ("regulation", "Regulation"),
]
METHODS = [
    ("lecture", "Internal Lecture"),
    ("external", "External Course"),
    ("elearning", "E-Learning"),
    ("case_study", "Case Study"),
    ("role_play", "Role Play"),
    ("on_the_job", "On the Job"),
]
STATES = [("planned", "Planned"), ("done", "Held"), ("cancelled", "Cancelled")]


class SaleTrainingSession(models.Model):
    """R8.2, R8.3, R7.1: a session of a training plan, its subject, method, trainer and
    attendees; each attendee gets an evaluation line that records attendance and score."""

    _name = "sale.training.session"
    _description = "Sales Training Session"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"duration": (0.0, 1000.0), "pass_mark": (0.0, 100.0)}
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = ("state",)
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    plan_id = fields.Many2one(
        "sale.training.plan", string="Training Plan", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    subject = fields.Selection(SUBJECTS, string="Topic", required=True, default="product", tracking=True)
    method = fields.Selection(METHODS, required=True, default="lecture", tracking=True)
    date = fields.Datetime(required=True, tracking=True)
    duration = fields.Float(string="Duration (hours)", default=2.0)
    trainer_id = fields.Many2one("res.users", domain="[('share', '=', False)]")
    trainer_name = fields.Char(string="External Trainer")
    location = fields.Char()
    attendee_ids = fields.Many2many(
        "res.users",
        "sale_training_session_res_users_rel",
        "session_id",
        "user_id",
        string="Attendees",
        domain="[('share', '=', False)]",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Exam",
        help="R8.4: the survey the attendees answer as their exam; its score fills theirs.",
    )
    pass_mark = fields.Float(
        compute="_compute_pass_mark", store=True, readonly=False, help="R8.4: the score out of 100 needed to pass."
    )
    notes = fields.Html()
    state = fields.Selection(STATES, required=True, default="planned", tracking=True, copy=False, readonly=True)
    evaluation_ids = fields.One2many("sale.training.evaluation", "session_id", string="Attendance and Evaluations")
    attendance_rate = fields.Float(compute="_compute_attendance_rate", string="Attendance (%)")

    @api.depends("plan_id.pass_mark")
    def _compute_pass_mark(self):
        for session in self:
            session.pass_mark = session.plan_id.pass_mark or 60.0

    @api.depends("evaluation_ids.attended")
    def _compute_attendance_rate(self):
        for session in self:
            lines = session.evaluation_ids
            session.attendance_rate = 100.0 * len(lines.filtered("attended")) / len(lines) if lines else 0.0

    @api.constrains("pass_mark", "duration")
    def _check_figures(self):
        for session in self:
            if not 0 <= session.pass_mark <= 100:
                raise ValidationError(self.env._("R8.4: a pass mark is between 0 and 100."))
            if session.duration < 0:
                raise ValidationError(self.env._("R8.3: a session's duration cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._regulation_check_vals(vals, create=True)
        sessions = super().create(vals_list)
        for session, vals in zip(sessions, vals_list, strict=True):
            if not vals.get("attendee_ids"):
                # a new session invites the plan's consultants and its teams' members
                plan = session.plan_id
                session.attendee_ids = plan.consultant_ids | plan.team_ids.member_ids
        sessions._sync_evaluations()
        return sessions

    def write(self, vals):
        self._regulation_check_vals(vals)
        if vals.get("state") == "done":
            self._check_holdable()
        res = super().write(vals)
        if "attendee_ids" in vals:
            self._sync_evaluations()
        if vals.get("state") == "done":
            self.evaluation_ids._schedule_retakes()
        return res

    def _check_holdable(self):
        for session in self:
            if session.plan_id.state != "approved":
                raise ValidationError(
                    self.env._(
                        "R8.1: the session %(session)s is held only under an approved training plan; "
                        "%(plan)s is not approved.",
                        session=session.name,
                        plan=session.plan_id.name,
                    )
                )

    def _sync_evaluations(self):
        """One evaluation line per attendee: missing ones created, those of removed attendees
        deleted unless already scored."""
        # sudo: the lines follow the attendee list the organiser set, whatever team an attendee
        # is in; only these sessions' lines are touched.
        lines = self.sudo().evaluation_ids
        to_create = []
        for session in self:
            existing = lines.filtered(lambda line, s=session: line.session_id == s)
            to_create += [
                {"session_id": session.id, "user_id": user.id} for user in session.attendee_ids - existing.user_id
            ]
            existing.filtered(lambda line, s=session: line.user_id not in s.attendee_ids and not line.scored).unlink()
        if to_create:
            self.env["sale.training.evaluation"].sudo().create(to_create)

    @workflow_step
    def action_done(self):
        self.write({"state": "done"})
        return True

    @workflow_step
    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    @workflow_step
    def action_plan(self):
        self.write({"state": "planned"})
        return True
