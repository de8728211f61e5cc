# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R6.1 to R6.3: who a period appraises, and its figures, targets and ranks computed from the
shared figures service; the nightly recompute."""

import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import appraisal_scores
from .base import workflow_step
from .sale_appraisal_kpi import ADDITIVE_MEASURES, FIELD_OF
from .sale_appraisal_period import MANAGER_GROUP

_logger = logging.getLogger(__name__)


class SaleAppraisalPeriod(models.Model):
    _inherit = "sale.appraisal.period"

    closed_date = fields.Datetime(string="Closed on", readonly=True, copy=False)

    late_document_count = fields.Integer(
        string="Late Documents",
        compute="_compute_late_documents",
        help="Orders, invoices and credit notes dated in the closed period but made after it was closed: they do "
        "not change its appraisals; their effect goes into the next open period's statements.",
    )

    late_document_amount = fields.Monetary(string="Late Documents Amount", compute="_compute_late_documents")

    @api.depends("state", "closed_date")
    def _compute_late_documents(self):
        Figures = self.env["sale.regulation.figures"]
        for period in self:
            count, amount = 0, 0.0
            if period.state == "closed" and period.closed_date:
                count, amount = Figures._late_documents(
                    period.company_id, period.date_from, period.date_to, period.basis, period.closed_date
                )
            period.late_document_count = count
            period.late_document_amount = amount

    def _consultants(self):
        """{user: team} of the consultants appraised in the period: the members of the
        company's regulated teams who are in the Consultant group (one search)."""
        self.ensure_one()
        members = (
            self.env["crm.team.member"]
            .sudo()  # membership only, to know whom to appraise
            .search(
                [
                    ("crm_team_id.regulation_enabled", "=", True),
                    ("crm_team_id.company_id", "in", [False, self.company_id.id]),
                    ("user_id.active", "=", True),
                    ("user_id.groups_id", "in", self.env.ref("sales_consultant_regulation.group_consultant").ids),
                ],
                order="id",
            )
        )
        consultants = {}
        for member in members:
            consultants.setdefault(member.user_id, member.crm_team_id)
        return consultants

    @workflow_step
    def _ensure_appraisals(self):
        """Create the missing appraisals and KPI lines of open periods (one search, one create
        per model)."""
        kpis = self.env["sale.appraisal.kpi"].search([])
        Appraisal = self.env["sale.appraisal"].sudo()  # appraisals are the system's records
        existing = Appraisal.search([("period_id", "in", self.ids)])
        have = {(a.period_id.id, a.user_id.id) for a in existing}
        vals_list = []
        for period in self.filtered(lambda p: p.state == "open"):
            for user, team in period._consultants().items():
                if (period.id, user.id) not in have:
                    vals_list.append({"period_id": period.id, "user_id": user.id, "team_id": team.id})
        created = Appraisal.create(vals_list) if vals_list else Appraisal
        appraisals = (existing | created).filtered(lambda a: not a._is_frozen())
        appraisals._sync_lines(kpis)
        return existing | created

    @workflow_step
    def _compute_appraisals(self):
        """Recompute the appraisals of the periods from live data. The months a quarter or a
        year is built on are recomputed first. Queries: a constant number per period, whatever
        the number of consultants and lines."""
        self._check_not_closed(self.env._("recomputed"))
        kpis = self.env["sale.appraisal.kpi"]._check_weights()
        periods = self | self.month_ids.filtered(lambda m: m.state == "open")
        periods = periods.filtered(lambda p: p.state == "open").sorted(lambda p: (p.period_type_order, p.date_from))
        now = fields.Datetime.now()
        for period in periods:
            appraisals = period._ensure_appraisals().filtered(lambda a: not a._is_frozen())
            if appraisals:
                figures = period._figures(appraisals)
                targets = period._targets(appraisals.user_id)
                appraisals._apply_figures(figures, targets, kpis)
            period._rank()
            # sudo: the computation stamp is the system's
            period.sudo().computed_at = now
        return True

    def _figures(self, appraisals):
        """{user id: {measure: value, ...}} for the period: from the shared figures service, or
        rolled up from the months when they cover the period (R6.2)."""
        self.ensure_one()
        users = appraisals.user_id
        if self.rolls_up:
            return self._rollup_from_months(users)
        totals = self.env["sale.regulation.figures"]._totals(
            self.company_id, self.date_from, self.date_to, self.basis, users.ids
        )
        supervisor = appraisals._supervisor_figures()
        figures = {}
        for appraisal in appraisals:
            user_figures = dict(totals.get(appraisal.user_id.id, {}))
            user_figures.update(supervisor.get(appraisal, {}))
            figures[appraisal.user_id.id] = user_figures
        return figures

    def _rollup_from_months(self, users):
        """Sums of the months for the additive measures, weighted averages for satisfaction
        and evaluation (one search over the months' appraisals)."""
        self.ensure_one()
        month_appraisals = (
            self.env["sale.appraisal"]
            .sudo()  # figures of the months, read to build the quarter or the year
            .search([("period_id", "in", self.month_ids.ids), ("user_id", "in", users.ids)])
        )
        by_user = defaultdict(lambda: self.env["sale.appraisal"])
        for appraisal in month_appraisals:
            by_user[appraisal.user_id.id] |= appraisal
        # without evaluated months, the quarter's or the year's own supervisor inputs count
        own_appraisals = self.appraisal_ids.sudo()
        own = {a.user_id.id: a for a in own_appraisals}
        own_figures = own_appraisals._supervisor_figures()
        figures = {}
        for user in users:
            months = by_user[user.id]
            user_figures = {measure: sum(months.mapped(FIELD_OF[measure])) for measure in ADDITIVE_MEASURES}
            own_inputs = own_figures.get(own.get(user.id), {})
            for measure in ("satisfaction", "evaluation"):
                weight_field = f"{measure}_weight"
                pairs = [(a[FIELD_OF[measure]], a[weight_field]) for a in months]
                if any(weight for _value, weight in pairs):
                    user_figures[measure] = appraisal_scores.weighted_average(pairs)
                    user_figures[weight_field] = sum(weight for _value, weight in pairs)
                else:
                    user_figures[measure] = own_inputs.get(measure, 0.0)
                    user_figures[weight_field] = own_inputs.get(weight_field, 0.0)
            figures[user.id] = user_figures
        return figures

    def _targets(self, users):
        """{user id: {measure: target}}: the consultant's target for the period; a quarter or
        a year without one takes the sum of its months' targets (R2.2). One search."""
        self.ensure_one()
        Target = self.env["sale.consultant.target"].sudo()  # targets feed the system's computation
        targets = Target.search([("period_id", "in", (self | self.month_ids).ids), ("user_id", "in", users.ids)])
        own = {t.user_id.id: t for t in targets if t.period_id == self}
        months = defaultdict(list)
        for target in targets:
            if target.period_id != self:
                months[target.user_id.id].append(target)
        result = {}
        for user in users:
            target = own.get(user.id)
            if target:
                result[user.id] = target._as_measures()
            elif months.get(user.id):
                summed = defaultdict(float)
                for month_target in months[user.id]:
                    for measure, value in month_target._as_measures().items():
                        summed[measure] += value
                result[user.id] = dict(summed)
            else:
                result[user.id] = {}
        return result

    @workflow_step
    def _rank(self):
        """Ranks within the team and the company by total score (R6.4)."""
        self.ensure_one()
        appraisals = self.appraisal_ids.sudo()  # ranks are the system's figures
        if not appraisals:
            return
        scores = [a.total_score for a in appraisals]
        company_ranks = appraisal_scores.rank(scores)
        by_team = defaultdict(list)
        for index, appraisal in enumerate(appraisals):
            by_team[appraisal.team_id.id].append(index)
        team_ranks = [0] * len(appraisals)
        for indexes in by_team.values():
            for index, team_rank in zip(indexes, appraisal_scores.rank([scores[i] for i in indexes]), strict=True):
                team_ranks[index] = team_rank
        for appraisal, company_rank, team_rank in zip(appraisals, company_ranks, team_ranks, strict=True):
            if appraisal._is_frozen():
                continue
            if appraisal.rank_company != company_rank or appraisal.rank_team != team_rank:
                appraisal.write({"rank_company": company_rank, "rank_team": team_rank})

    @api.model
    @workflow_step
    def _cron_recompute_open_periods(self):
        """Nightly (R6.1): recompute every open period, months before quarters and years."""
        periods = self.search([("state", "=", "open")]).sorted(lambda p: (p.period_type_order, p.date_from, p.id))
        failed = self.browse()
        causes = {}
        for period in periods:
            try:
                with self.env.cr.savepoint():
                    period.with_company(period.company_id)._compute_appraisals()
            except Exception as exc:
                # one period's bad data (KPI weights off 100, a figure out of range) must not stop
                # the others: the regulation managers get an activity naming the cause
                _logger.exception("Appraisal recompute of the period %s (id %s) failed", period.name, period.id)
                failed |= period
                causes[period.id] = exc.args[0] if isinstance(exc, UserError | AccessError) and exc.args else repr(exc)
        for period in failed:
            period._tell_recompute_failed(causes[period.id])
        return failed

    def _tell_recompute_failed(self, cause):
        """An activity for each regulation manager of the company: the nightly recompute of the
        period failed, and why (R6.1). One open activity per manager and period, its note
        updated when it fails again."""
        self.ensure_one()
        managers = self.env.ref(MANAGER_GROUP).users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids and u._is_internal()
        ) - self.env.ref("base.user_root")
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        # sudo: the system writes its own warning activities, whoever runs the job
        existing = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        for manager in managers:
            period = self.with_context(lang=manager.lang)
            summary = period.env._("Appraisal recompute failed: %(period)s", period=self.name)
            note = period.env._(
                "R6.1: the nightly recompute of %(period)s failed; its appraisals keep their last figures. "
                "Cause: %(cause)s",
                period=self.name,
                cause=cause,
            )
            own = existing.filtered(lambda a, manager=manager: a.user_id == manager)
            if own:
                own.write({"note": note, "summary": summary})
            else:
                # sudo: the activity is the system's warning to the manager
                period.sudo().activity_schedule(
                    activity_type_id=activity_type.id, summary=summary, note=note, user_id=manager.id
                )
