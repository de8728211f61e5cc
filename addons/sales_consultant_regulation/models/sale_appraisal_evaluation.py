# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R6.3: the supervisor's evaluation of an appraisal, its acknowledgement by the consultant and its
approval."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .base import workflow_step

MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"

SUPERVISOR_GROUP = "sales_consultant_regulation.group_supervisor"


class SaleAppraisal(models.Model):
    _inherit = "sale.appraisal"

    # supervisor evaluation (R6.3) and satisfaction entered by the supervisor
    eval_daily_score = fields.Float(string="Daily Performance", digits=(16, 1), tracking=True)

    eval_daily_comment = fields.Text(string="Daily Performance Comment")

    eval_teamwork_score = fields.Float(string="Teamwork", digits=(16, 1), tracking=True)

    eval_teamwork_comment = fields.Text(string="Teamwork Comment")

    eval_attitude_score = fields.Float(string="Attitude", digits=(16, 1), tracking=True)

    eval_attitude_comment = fields.Text(string="Attitude Comment")

    satisfaction_input = fields.Float(
        string="Customer Satisfaction (0-100)",
        digits=(16, 1),
        tracking=True,
        help="R6.3: the customers' satisfaction with the consultant over the period, from the satisfaction "
        "surveys and complaint records, scored by the supervisor from 0 to 100.",
    )

    satisfaction_comment = fields.Text(string="Satisfaction Evidence")

    evaluator_id = fields.Many2one("res.users", string="Evaluated By", readonly=True, copy=False)

    evaluation_date = fields.Datetime(readonly=True, copy=False)

    acknowledged_date = fields.Datetime(readonly=True, copy=False)

    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)

    approved_date = fields.Datetime(readonly=True, copy=False)

    can_evaluate = fields.Boolean(compute="_compute_can_evaluate")

    @api.depends_context("uid")
    @api.depends("team_id.user_id", "user_id", "state")
    def _compute_can_evaluate(self):
        for appraisal in self:
            appraisal.can_evaluate = appraisal.state in ("draft", "evaluated") and appraisal._may_evaluate()

    def _may_evaluate(self):
        """A manager, or the supervisor who leads the appraisal's team, not on their own."""
        self.ensure_one()
        user = self.env.user
        if self.env.su or user.has_group(MANAGER_GROUP):
            return True
        return user.has_group(SUPERVISOR_GROUP) and self.team_id.user_id == user and self.user_id != user

    def _check_evaluator(self):
        for appraisal in self:
            if not appraisal._may_evaluate():
                raise AccessError(
                    self.env._(
                        "R6.3: only the supervisor leading %(team)s or a regulation manager evaluates %(user)s; "
                        "nobody evaluates themselves.",
                        team=appraisal.team_id.name or "-",
                        user=appraisal.user_id.name,
                    )
                )

    @workflow_step
    def action_evaluate(self):
        self._check_evaluator()
        for appraisal in self:
            if appraisal.state != "draft":
                raise UserError(self.env._("Only draft appraisals are evaluated."))
            missing = [
                self._fields[fname].get_description(self.env)["string"]
                for fname in ("eval_daily_score", "eval_teamwork_score", "eval_attitude_score")
                if not appraisal[fname]
            ]
            if missing:
                raise ValidationError(
                    self.env._(
                        "R6.3: the evaluation of %(user)s needs a score for: %(missing)s.",
                        user=appraisal.user_id.name,
                        missing=", ".join(missing),
                    )
                )
        # sudo: status and evaluator are the system's fields; the evaluator's right was checked above
        self.sudo().write(
            {"state": "evaluated", "evaluator_id": self.env.uid, "evaluation_date": fields.Datetime.now()}
        )
        self._rescore()
        for appraisal in self:
            # sudo: the consultant must follow their appraisal to be asked to acknowledge it, and
            # subscribing another partner needs rights the evaluating supervisor may not have
            appraisal.sudo().message_subscribe(partner_ids=appraisal.user_id.partner_id.ids)
            score = format(appraisal.total_score, ".1f")
            appraisal.message_post(
                body=self.env._(
                    "Evaluated by %(user)s: total score %(score)s. Please read and acknowledge it.",
                    user=self.env.user.name,
                    score=score,
                ),
                partner_ids=appraisal.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    @workflow_step
    def action_acknowledge(self):
        for appraisal in self:
            if not self.env.su and appraisal.user_id != self.env.user:
                raise AccessError(
                    self.env._("R6.3: only %(user)s acknowledges their appraisal.", user=appraisal.user_id.name)
                )
            if appraisal.state != "evaluated":
                raise UserError(self.env._("Only evaluated appraisals are acknowledged."))
        # sudo: the consultant may not write their appraisal; acknowledging is their only act on it
        self.sudo().write({"state": "acknowledged", "acknowledged_date": fields.Datetime.now()})
        return True

    @workflow_step
    def action_approve(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("R6.3: only a regulation manager approves appraisals."))
        for appraisal in self:
            if appraisal.state != "acknowledged":
                raise UserError(
                    self.env._(
                        "R6.3: the appraisal of %(user)s is %(state)s; it is approved once the consultant has "
                        "acknowledged it.",
                        user=appraisal.user_id.name,
                        state=appraisal._state_label(),
                    )
                )
        # sudo: status fields are the system's; the manager's right was checked above
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()})
        self.period_id._check_all_approved()
        return True

    @workflow_step
    def action_reset_draft(self):
        for appraisal in self:
            if appraisal.state == "approved":
                if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
                    raise AccessError(self.env._("R6.3: only a regulation manager resets an approved appraisal."))
                if appraisal.period_id.honours_granted:
                    raise UserError(
                        self.env._(
                            "R6.4: the honours of %(period)s were granted from these appraisals; they stay approved.",
                            period=appraisal.period_id.name,
                        )
                    )
            else:
                appraisal._check_evaluator()
        # sudo: status fields are the system's; the rights were checked above
        self.sudo().write(
            {
                "state": "draft",
                "evaluator_id": False,
                "evaluation_date": False,
                "acknowledged_date": False,
                "approved_by_id": False,
                "approved_date": False,
            }
        )
        self._rescore()
        return True
