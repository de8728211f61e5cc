# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import training_rates
from .base import workflow_action

RETAKE = "sales_consultant_regulation.mail_activity_type_training_retake"


class SaleTrainingEvaluation(models.Model):
    """R8.4: an attendee of a training session, whether they attended and their score (typed by
    the evaluator or taken from the session's survey exam); a failed attendee gets an
    activity to retake the training."""

    _name = "sale.training.evaluation"
    _description = "Sales Training Evaluation"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = ("scored", "evaluator_id")
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "user_id"

    session_id = fields.Many2one("sale.training.session", required=True, ondelete="cascade", index=True)
    plan_id = fields.Many2one(related="session_id.plan_id", store=True, index=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    date = fields.Datetime(related="session_id.date", store=True)
    subject = fields.Selection(related="session_id.subject", string="Topic", store=True)
    method = fields.Selection(related="session_id.method", store=True)
    session_state = fields.Selection(related="session_id.state", string="Session Status", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Consultant",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team", compute="_compute_team_id", store=True, readonly=False, string="Sales Team", index="btree_not_null"
    )
    attended = fields.Boolean(default=True, tracking=True)
    score = fields.Float(tracking=True, aggregator="avg", help="R8.4: the score out of 100.")
    scored = fields.Boolean(readonly=True, copy=False, help="A score was given.")
    pass_mark = fields.Float(related="session_id.pass_mark")
    passed = fields.Boolean(compute="_compute_passed", store=True)
    survey_id = fields.Many2one(related="session_id.survey_id", string="Exam")
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Exam Answers",
        domain="[('survey_id', '=', survey_id)]",
        help="The attendee's answers to the exam; their score becomes the evaluation's.",
    )
    evaluator_id = fields.Many2one("res.users", readonly=True, copy=False)
    comments = fields.Text()

    _sql_constraints = [
        ("session_user_uniq", "unique(session_id, user_id)", "An attendee is evaluated once per session."),
    ]

    @api.depends("user_id")
    def _compute_team_id(self):
        for line in self:
            line.team_id = line.user_id.sale_team_id or line.team_id

    @api.depends("attended", "scored", "score", "pass_mark")
    def _compute_passed(self):
        for line in self:
            line.passed = training_rates.passed(line.score if line.scored else None, line.pass_mark, line.attended)

    @api.constrains("score")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= 100:
                raise ValidationError(
                    self.env._(
                        "R8.4: the score of %(user)s is out of 100, not %(score)s.",
                        user=line.user_id.name,
                        score=line.score,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._regulation_check_vals(vals, create=True)
        vals_list = [self._prepare_score(dict(vals)) for vals in vals_list]
        with workflow_action():
            lines = super().create(vals_list)
        lines._schedule_retakes()
        return lines

    def write(self, vals):
        self._regulation_check_vals(vals)
        vals = self._prepare_score(dict(vals))
        with workflow_action():
            res = super().write(vals)
        if {"score", "attended"} & set(vals):
            self._schedule_retakes()
        return res

    def _prepare_score(self, vals):
        if vals.get("user_input_id") and "score" not in vals:
            # sudo: the evaluator need not be a survey officer to read the exam's score
            answers = self.env["survey.user_input"].sudo().browse(vals["user_input_id"])
            vals["score"] = answers.scoring_percentage
        if "score" in vals:
            vals.update(scored=True, evaluator_id=self.env.uid)
        return vals

    def _schedule_retakes(self):
        """R8.4: a consultant who failed a held session gets one activity to retake it."""
        failed = self.filtered(lambda line: line.session_id.state == "done" and line.scored and not line.passed)
        if not failed:
            return
        activity_type = self.env.ref(RETAKE)
        planned = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", failed.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        planned_ids = set(planned.mapped("res_id"))
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": line.id,
                    "activity_type_id": activity_type.id,
                    "user_id": line.user_id.id,
                    "summary": self.env._(
                        "Retake: %(session)s (score %(score)s, pass mark %(mark)s)",
                        session=line.session_id.name,
                        score=line.score,
                        mark=line.pass_mark,
                    ),
                }
                for line in failed
                if line.id not in planned_ids
            ]
        )
