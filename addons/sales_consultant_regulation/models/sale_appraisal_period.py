# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..tools import appraisal_scores
from .base import unique_guard, workflow_step
from .sale_appraisal_kpi import ADDITIVE_MEASURES, FIELD_OF

_logger = logging.getLogger(__name__)

PERIOD_TYPES = [("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Annual")]
TYPE_ORDER = {"month": 0, "quarter": 1, "year": 2}
MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"
SUPERVISOR_GROUP = "sales_consultant_regulation.group_supervisor"


class SaleAppraisalPeriod(models.Model):
    """An appraisal period (R6.2): a month, a quarter built on its months, or a year. Opening
    it creates the appraisal of every consultant of the company's regulated teams; while open
    the appraisals are recomputed nightly from live data; closing freezes them."""

    _name = "sale.appraisal.period"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Appraisal Period"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = (
        "state",
        "computed_at",
        "closed_date",
        "honours_granted",
        "champion_user_id",
        "best_user_id",
        "honour_badge_user_ids",
    )
    _order = "date_from desc, period_type_order desc, id"

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    period_type = fields.Selection(PERIOD_TYPES, string="Type", required=True, default="month", tracking=True)
    period_type_order = fields.Integer(compute="_compute_period_type_order", store=True)
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    basis = fields.Selection(
        [("order", "Confirmed Orders"), ("invoice", "Posted Invoices, Net of Credit Notes")],
        required=True,
        default=lambda self: self.env.company.appraisal_basis or "order",
        tracking=True,
        help="Where the sales figures come from (R6.3: data from the sales system and finance).",
    )
    appraisal_ids = fields.One2many("sale.appraisal", "period_id", string="Appraisals")
    appraisal_count = fields.Integer(compute="_compute_appraisal_count")
    month_ids = fields.Many2many(
        "sale.appraisal.period",
        compute="_compute_month_ids",
        string="Months",
        help="The monthly periods a quarter or a year is built on (R6.2).",
    )
    rolls_up = fields.Boolean(
        compute="_compute_month_ids",
        help="The months cover the period: its figures are the sums and weighted averages of theirs.",
    )
    computed_at = fields.Datetime(string="Last Computed", readonly=True, copy=False)
    closed_date = fields.Datetime(string="Closed on", readonly=True, copy=False)
    late_document_count = fields.Integer(
        string="Late Documents",
        compute="_compute_late_documents",
        help="Orders, invoices and credit notes dated in the closed period but made after it was closed: they do "
        "not change its appraisals; their effect goes into the next open period's statements.",
    )
    late_document_amount = fields.Monetary(string="Late Documents Amount", compute="_compute_late_documents")
    honours_granted = fields.Boolean(string="Honours Announced", readonly=True, copy=False)
    champion_user_id = fields.Many2one("res.users", string="Sales Champion", readonly=True, copy=False)
    best_user_id = fields.Many2one("res.users", string="Best Sales Consultant", readonly=True, copy=False)
    honour_badge_user_ids = fields.Many2many(
        "gamification.badge.user", string="Honours Granted", readonly=True, copy=False
    )

    @api.depends("period_type", "date_from", "date_to")
    def _compute_name(self):
        for period in self:
            if not period.date_from:
                period.name = False
            elif period.period_type == "month":
                period.name = period.date_from.strftime("%Y-%m")
            elif period.period_type == "quarter":
                period.name = f"{period.date_from.year} Q{(period.date_from.month - 1) // 3 + 1}"
            else:
                period.name = str(period.date_from.year)

    @api.depends("period_type")
    def _compute_period_type_order(self):
        for period in self:
            period.period_type_order = TYPE_ORDER.get(period.period_type, 0)

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

    def _compute_appraisal_count(self):
        counts = dict(
            self.env["sale.appraisal"]._read_group([("period_id", "in", self.ids)], ["period_id"], ["__count"])
        )
        for period in self:
            period.appraisal_count = counts.get(period, 0)

    @api.depends("period_type", "date_from", "date_to", "company_id")
    def _compute_month_ids(self):
        rollups = self.filtered(lambda p: p.period_type != "month" and p.date_from and p.date_to)
        months = self.browse()
        if rollups:
            months = self.search(
                [
                    ("period_type", "=", "month"),
                    ("company_id", "in", rollups.company_id.ids),
                    ("date_from", ">=", min(rollups.mapped("date_from"))),
                    ("date_to", "<=", max(rollups.mapped("date_to"))),
                ]
            )
        for period in self:
            if period not in rollups:
                period.month_ids = False
                period.rolls_up = False
                continue
            inside = months.filtered(
                lambda m, p=period: (
                    m.company_id == p.company_id and m.date_from >= p.date_from and m.date_to <= p.date_to
                )
            )
            period.month_ids = inside
            period.rolls_up = appraisal_scores.covers(
                [(m.date_from, m.date_to) for m in inside], (period.date_from, period.date_to)
            )

    @api.constrains("date_from", "date_to", "period_type", "company_id")
    def _check_dates(self):
        for period in self:
            if period.date_from > period.date_to:
                raise ValidationError(
                    self.env._('R6.2: the period "%(period)s" ends before it starts.', period=period.name)
                )
        others = self.search(
            [
                ("company_id", "in", self.company_id.ids),
                ("period_type", "in", list(set(self.mapped("period_type")))),
                ("date_from", "<=", max(self.mapped("date_to"))),
                ("date_to", ">=", min(self.mapped("date_from"))),
            ]
        )
        for period in self:
            for other in others:
                if (
                    other != period
                    and other.company_id == period.company_id
                    and other.period_type == period.period_type
                    and appraisal_scores.ranges_overlap(
                        (period.date_from, period.date_to), (other.date_from, other.date_to)
                    )
                ):
                    raise ValidationError(
                        self.env._(
                            'R6.2: the period "%(period)s" overlaps "%(other)s"; periods of one type never overlap.',
                            period=period.name,
                            other=other.name,
                        )
                    )

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        self._regulation_check_vals(vals)
        if {"date_from", "date_to", "period_type", "company_id", "basis"} & set(vals):
            for period in self:
                if period.state != "draft":
                    raise UserError(
                        self.env._(
                            'R6.2: the period "%(period)s" is %(state)s; its dates, type and basis are fixed.',
                            period=period.name,
                            state=period._state_label(),
                        )
                    )
        if "name" in vals:
            for period in self.filtered(lambda p: p.state == "closed" and p.name != vals["name"]):
                raise UserError(
                    self.env._(
                        'R6.2: the period "%(period)s" is closed; its name is fixed, as its appraisals and '
                        "statements show it.",
                        period=period.name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        for period in self:
            if period.state != "draft":
                raise UserError(self.env._('Only draft periods are deleted; "%(period)s" is not.', period=period.name))

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------ access helpers

    def _check_manager(self, what):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a regulation manager may %(what)s.", what=what))

    def _check_not_closed(self, what):
        closed = self.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    'R6.2: the period "%(period)s" is closed; its appraisals are frozen and cannot be %(what)s. '
                    "A regulation manager may reopen it, giving a reason.",
                    period=closed[0].name,
                    what=what,
                )
            )

    # ------------------------------------------------------------------ actions

    @workflow_step
    def action_open(self):
        self._check_manager(self.env._("open an appraisal period"))
        self.env["sale.appraisal.kpi"]._check_weights()
        self._regulation_lock_state()
        for period in self:
            if period.state != "draft":
                raise UserError(self.env._('The period "%(period)s" is not a draft.', period=period.name))
        # sudo: period state is the system's; the manager's right was checked above
        self.sudo().write({"state": "open", "closed_date": False})
        with unique_guard(self.env, self._busy_message()):
            self._compute_appraisals()
        return True

    def _busy_message(self):
        return self.env._(
            'R6.2: the period "%(period)s" is being opened, closed or computed by someone else; try again in a moment.',
            period=self[:1].name,
        )

    def _regulation_lock_state(self):
        """Two users opening, closing or reopening one period at once: the second is refused."""
        self._regulation_try_lock(self._busy_message(), "state")

    def action_recompute(self):
        if not self.env.su and not self.env.user.has_group(SUPERVISOR_GROUP):
            raise AccessError(self.env._("Only a supervisor or a manager may recompute appraisals."))
        self._check_not_closed(self.env._("recomputed"))
        self._compute_appraisals()
        return True

    @workflow_step
    def action_close(self):
        self._check_manager(self.env._("close an appraisal period"))
        self._regulation_lock_state()
        for period in self:
            if period.state != "open":
                raise UserError(self.env._('Only open periods are closed; "%(period)s" is not.', period=period.name))
        self._compute_appraisals()
        # sudo: period state is the system's; the manager's right was checked above
        # the transaction's time, as the documents' creation stamps: a document made after it is late
        self.sudo().write({"state": "closed", "closed_date": self.env.cr.now()})
        for period in self:
            period.message_post(
                body=self.env._(
                    "Period closed by %(user)s: its appraisals are frozen (R6.2).", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_reopen(self):
        self.ensure_one()
        self._check_manager(self.env._("reopen an appraisal period"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Period"),
            "res_model": "sale.appraisal.period.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_period_id": self.id},
        }

    @workflow_step
    def _reopen(self, reason):
        """Reopen closed periods, logging who and why (R6.2)."""
        self._check_manager(self.env._("reopen an appraisal period"))
        if not (reason or "").strip():
            raise UserError(self.env._("R6.2: reopening a closed period needs a reason."))
        self._regulation_lock_state()
        for period in self:
            if period.state != "closed":
                raise UserError(
                    self.env._('Only closed periods are reopened; "%(period)s" is not.', period=period.name)
                )
        # sudo: period state is the system's; the manager's right was checked above
        self.sudo().write({"state": "open", "closed_date": False})
        for period in self:
            period.message_post(
                body=self.env._(
                    "Period reopened by %(user)s (R6.2). Reason: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_view_appraisals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_consultant_regulation.sale_appraisal_action")
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"default_period_id": self.id}
        return action

    # ------------------------------------------------------------------ consultants

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

    # ------------------------------------------------------------------ computation (R6.1-R6.3)

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

    # ------------------------------------------------------------------ honours (R6.4)

    @workflow_step
    def _check_all_approved(self):
        for period in self:
            appraisals = period.appraisal_ids.sudo()
            if appraisals and all(a.state == "approved" for a in appraisals) and not period.honours_granted:
                period._grant_honours()

    @workflow_step
    def _grant_honours(self):
        """Grant the Sales Champion (highest sales amount) and the Best Sales Consultant (highest
        total score) badges of the period, once, and announce them to the company (R6.4)."""
        self.ensure_one()
        if self.honours_granted:
            return
        appraisals = self.appraisal_ids.sudo()
        by_user = {a.user_id.id: a for a in appraisals}
        champion = appraisal_scores.winner([(a.user_id.id, a.amount, a.total_score) for a in appraisals])
        best = appraisal_scores.winner([(a.user_id.id, a.total_score, a.amount) for a in appraisals])
        company = self.company_id
        titles = [
            (
                champion,
                company.appraisal_champion_badge_id
                or self.env.ref("sales_consultant_regulation.badge_sales_champion", raise_if_not_found=False),
                "champion_user_id",
            ),
            (
                best,
                company.appraisal_best_badge_id
                or self.env.ref("sales_consultant_regulation.badge_best_consultant", raise_if_not_found=False),
                "best_user_id",
            ),
        ]
        BadgeUser = self.env["gamification.badge.user"].sudo()  # granted by the regulation, not by a user
        badge_users = BadgeUser
        vals = {"honours_granted": True}
        lines = []
        for user_id, badge, field in titles:
            if not user_id or not badge:
                continue
            appraisal = by_user[user_id]
            badge_user = BadgeUser.create(
                {
                    "user_id": user_id,
                    "badge_id": badge.id,
                    "sender_id": self.env.uid,
                    "comment": self.env._("%(title)s of %(period)s", title=badge.name, period=self.name),
                }
            )
            badge_users |= badge_user
            vals[field] = user_id
            amount, score = format(appraisal.amount, ",.0f"), format(appraisal.total_score, ".1f")
            lines.append(
                self.env._(
                    "%(title)s: %(user)s (sales %(amount)s, score %(score)s)",
                    title=badge.name,
                    user=appraisal.user_id.name,
                    amount=amount,
                    score=score,
                )
            )
        vals["honour_badge_user_ids"] = [fields.Command.set(badge_users.ids)]
        # sudo: the honours are the system's record of the period
        self.sudo().write(vals)
        badge_users._send_badge()
        if lines:
            self._announce_honours(lines)

    def _announce_honours(self, lines):
        """Post the honours on the period and in the company's announcement channel (R6.4)."""
        self.ensure_one()
        dates = format_date(self.env, self.date_from) + " - " + format_date(self.env, self.date_to)
        title = self.env._(
            "Honours of %(period)s (%(dates)s)",
            period=self.name,
            dates=dates,
        )
        body = Markup("<p><b>%s</b></p><ul>%s</ul>") % (
            title,
            Markup("").join(Markup("<li>%s</li>") % line for line in lines),
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_comment")
        channel = self.company_id.appraisal_channel_id
        if channel:
            # sudo: the announcement is the company's, posted whatever the approver's channels
            channel.sudo().message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_comment")
