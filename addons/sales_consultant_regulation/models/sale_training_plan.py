# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import training_rates
from .base import workflow_step

STATES = [("draft", "Draft"), ("approved", "Approved"), ("done", "Done")]


class SaleTrainingPlan(models.Model):
    """R8.1: the training plan of a period (objectives, content, methods, schedule, trainers),
    approved by a regulation manager; its sessions and evaluations measure it (R8.4)."""

    _name = "sale.training.plan"
    _description = "Sales Training Plan"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = ("state",)
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    objectives = fields.Html(help="R8.1: what the consultants should know and do better at the end of the plan.")
    team_ids = fields.Many2many("crm.team", string="Sales Teams", check_company=True)
    consultant_ids = fields.Many2many(
        "res.users",
        "sale_training_plan_res_users_rel",
        "plan_id",
        "user_id",
        string="Consultants",
        domain="[('share', '=', False)]",
        help="The consultants the plan is for; the members of its sales teams are added to a new session.",
    )
    pass_mark = fields.Float(default=60.0, help="R8.4: the score out of 100 a consultant needs to pass.")
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, copy=False, readonly=True)
    session_ids = fields.One2many("sale.training.session", "plan_id", string="Sessions")
    session_count = fields.Integer(compute="_compute_figures")
    attendance_rate = fields.Float(
        compute="_compute_figures", help="Places attended out of the places of the sessions held (%)."
    )
    average_score = fields.Float(compute="_compute_figures", help="Average score of the attendees scored.")
    figures_html = fields.Html(compute="_compute_figures", string="Results by Consultant", sanitize=False)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_from and plan.date_to and plan.date_to < plan.date_from:
                raise ValidationError(
                    self.env._("R8.1: the training plan %(plan)s ends before it starts.", plan=plan.name)
                )

    @api.constrains("pass_mark")
    def _check_pass_mark(self):
        for plan in self:
            if not 0 <= plan.pass_mark <= 100:
                raise ValidationError(self.env._("R8.4: a pass mark is between 0 and 100."))

    @api.depends("session_ids")
    def _compute_figures(self):
        figures = self._consultant_figures()
        sessions = dict(
            self.env["sale.training.session"]._read_group([("plan_id", "in", self.ids)], ["plan_id"], ["__count"])
        )
        for plan in self:
            rows = figures.get(plan.id, {})
            plan.session_count = sessions.get(plan, 0)
            planned = sum(row["planned"] for row in rows.values())
            attended = sum(row["attended"] for row in rows.values())
            scored = sum(row["scored"] for row in rows.values())
            plan.attendance_rate = training_rates.rate(attended, planned)
            plan.average_score = sum(row["score_sum"] for row in rows.values()) / scored if scored else 0.0
            plan.figures_html = plan._figures_table(rows)

    def _consultant_figures(self):
        """Per plan and consultant, over the sessions held: places, attended, scored, passed and
        the score total, from one grouped query: {plan_id: {user: {...}}}."""
        figures = defaultdict(dict)
        groups = self.env["sale.training.evaluation"]._read_group(
            [("plan_id", "in", self.ids), ("session_state", "=", "done")],
            ["plan_id", "user_id", "attended", "scored", "passed"],
            ["__count", "score:sum"],
        )
        for plan, user, attended, scored, passed, count, score_sum in groups:
            row = figures[plan.id].setdefault(
                user, {"planned": 0, "attended": 0, "scored": 0, "passed": 0, "score_sum": 0.0}
            )
            row["planned"] += count
            if attended:
                row["attended"] += count
            if attended and scored:
                row["scored"] += count
                row["score_sum"] += score_sum
            if passed:
                row["passed"] += count
        return figures

    def _figures_table(self, rows):
        if not rows:
            return False
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Consultant"),
            self.env._("Sessions"),
            self.env._("Attendance (%)"),
            self.env._("Average Score"),
            self.env._("Passed"),
        )
        body = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                user.name,
                row["planned"],
                f"{training_rates.rate(row['attended'], row['planned']):.0f}",
                f"{row['score_sum'] / row['scored']:.1f}" if row["scored"] else "-",
                row["passed"],
            )
            for user, row in sorted(rows.items(), key=lambda item: item[0].name or "")
        )
        return Markup('<table class="table table-sm o_training_figures">%s%s</table>') % (head, body)

    def write(self, vals):
        self._regulation_check_vals(vals)
        res = super().write(vals)
        if vals.get("state") == "approved":
            self._check_approvable()
        return res

    def _check_approvable(self):
        for plan in self:
            missing = []
            if not (plan.objectives and Markup(plan.objectives).striptags().strip()):
                missing.append(self.env._("its objectives"))
            if not plan.session_ids:
                missing.append(self.env._("at least one session"))
            elif plan.session_ids.filtered(lambda s: not s.trainer_id and not s.trainer_name):
                missing.append(self.env._("a trainer for every session"))
            if missing:
                raise ValidationError(
                    self.env._(
                        "R8.1: the training plan %(plan)s is approved only with %(missing)s.",
                        plan=plan.name,
                        missing=self.env._(", ").join(missing),
                    )
                )

    @workflow_step
    def action_approve(self):
        self.write({"state": "approved"})
        return True

    @workflow_step
    def action_done(self):
        self.write({"state": "done"})
        return True

    @workflow_step
    def action_draft(self):
        self.write({"state": "draft"})
        return True

    def action_view_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.sale_training_evaluation_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"search_default_group_user": 1}
        return action
