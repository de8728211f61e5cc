# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from . import gate_logic

CLOSING_TECHNIQUES = [
    ("assumptive", "Assumptive Close"),
    ("choice", "Choice Close"),
    ("discount", "Discount Close"),
    ("other", "Other"),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # R3.2 needs and decision information the R4 checklist checks automatically.
    need_description = fields.Text(string="Needs", help="Product need and usage scenario (R3.2, R4.2).")
    budget_amount = fields.Monetary(
        string="Budget", currency_field="company_currency", help="The customer's budget (R3.2)."
    )
    purchase_timing = fields.Date(help="When the customer intends to buy (R3.2).")
    decision_maker_id = fields.Many2one("res.partner", help="Who decides the purchase (R3.2, R4.2).")
    decision_process = fields.Text(help="How the customer decides: steps, people, approvals (R3.2, R4.2).")
    decision_date = fields.Date(help="When the decision is expected (R3.2).")
    closing_technique = fields.Selection(
        CLOSING_TECHNIQUES,
        help="The closing technique that won the deal (R5.4); required to mark a regulated lead won.",
    )

    # R4 checklist
    regulation_enabled = fields.Boolean(related="team_id.regulation_enabled", string="Regulated")
    checklist_line_ids = fields.One2many("crm.lead.checklist.line", "lead_id", string="Checklist")
    checklist_progress = fields.Float(
        compute="_compute_checklist_progress",
        help="Share of the current stage's required items that are done.",
    )
    checklist_blocked = fields.Boolean(
        compute="_compute_checklist_progress", help="Required items of the current stage are not done."
    )
    checklist_override_count = fields.Integer(
        compute="_compute_checklist_override_count",
        store=True,
        help="Checklist items a supervisor let this lead pass without them (R4).",
    )

    # R7.1 split credit, carried to the quotations
    consultant_share_ids = fields.One2many(
        "sale.order.consultant.share",
        "lead_id",
        string="Consultant Shares",
        help="R7.1: the consultants working this opportunity together and their share of the credit; "
        "totals 100 % and is carried to the quotations.",
    )
    consultant_share_total = fields.Float(
        compute="_compute_consultant_share_total", store=True, string="Shared (%)", digits=(5, 2)
    )

    @api.depends("consultant_share_ids.percent")
    def _compute_consultant_share_total(self):
        for lead in self:
            lead.consultant_share_total = sum(lead.consultant_share_ids.mapped("percent"))

    @api.constrains("consultant_share_total")
    def _check_consultant_share_total(self):
        for lead in self:
            if lead.consultant_share_ids and float_compare(lead.consultant_share_total, 100.0, 2):
                raise ValidationError(
                    self.env._(
                        'R7.1 split credit: the consultant shares of "%(lead)s" total %(total)s %%; '
                        "they must total 100 %%.",
                        lead=lead.display_name,
                        total=lead.consultant_share_total,
                    )
                )

    @api.depends("checklist_line_ids.is_overridden")
    def _compute_checklist_override_count(self):
        counts = dict(
            self.env["crm.lead.checklist.line"]._read_group(
                [("lead_id", "in", self.ids), ("is_overridden", "=", True)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.checklist_override_count = counts.get(lead, 0) if lead.id else 0

    @api.depends(
        "stage_id",
        "checklist_line_ids.checked",
        "checklist_line_ids.is_overridden",
        "budget_amount",
        "decision_maker_id",
        "decision_process",
        "need_description",
        "closing_technique",
        "email_from",
        "phone",
        "order_ids.state",
    )
    def _compute_checklist_progress(self):
        regulated = self.filtered(lambda lead: lead.regulation_enabled and lead.stage_id and lead.id)
        done_lines = regulated.checklist_line_ids._done_lines()
        for lead in self:
            if lead not in regulated:
                lead.checklist_progress = 100.0
                lead.checklist_blocked = False
                continue
            lines = lead.checklist_line_ids.filtered(lambda ln, lead=lead: ln.stage_id == lead.stage_id and ln.required)
            done = len(lines & done_lines)
            lead.checklist_progress = gate_logic.progress(done, len(lines))
            lead.checklist_blocked = done < len(lines)

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        regulated = leads.filtered(lambda lead: lead.regulation_enabled and lead.stage_id)
        if regulated:
            # A lead created in a later stage passes the stages before it (import, RPC).
            regulated._checklist_gate(dict.fromkeys(regulated))
            regulated._checklist_ensure_lines()
        self.env["sale.order.consultant.share"]._default_for(leads, "lead_id")
        return leads

    def write(self, vals):
        old_stages = {}
        if "stage_id" in vals:
            old_stages = {lead: lead.stage_id.id for lead in self}
        old_users = {lead.id: lead.user_id for lead in self} if "user_id" in vals else {}
        res = super().write(vals)
        if old_users:
            self.env["sale.order.consultant.share"]._follow_salesperson(self, old_users)
        if {"user_id", "team_id"} & set(vals):
            self.env["sale.order.consultant.share"]._default_for(self, "lead_id")
        if old_stages:
            moved = self.filtered(
                lambda lead: lead.regulation_enabled and lead.stage_id and lead.stage_id.id != old_stages[lead]
            )
            if moved:
                moved._checklist_gate({lead: old_stages[lead] for lead in moved})
                moved._checklist_ensure_lines()
        return res

    # ------------------------------------------------------------------ gate (R4)

    def _regulation_pipeline(self, team):
        """Ordered stage ids a lead of ``team`` sees: the team's own regulated pipeline when it
        has one, else every stage of the team or shared between teams."""
        Stage = self.env["crm.stage"]
        own = Stage.search([("team_id", "=", team.id), ("regulation_step", "!=", False)]) if team else Stage
        if own:
            return own
        return Stage.search(["|", ("team_id", "=", False), ("team_id", "=", team.id)])

    def _checklist_blockers(self, moves):
        """{lead: checklist items that block it} for leads moving as moves[lead] = (old stage
        id or None for a new lead, new stage id).

        Queries: one pipeline search per team, one item search, one line search, one
        filtered_domain per automatic item -- none per lead.
        """
        Item = self.env["crm.stage.checklist.item"]
        pipelines = {}
        passed = {}
        for lead in self:
            team = lead.team_id
            if team not in pipelines:
                stages = self._regulation_pipeline(team)
                pipelines[team] = (stages.ids, set(stages.filtered("is_won").ids))
            ids, won = pipelines[team]
            old_stage, new_stage = moves[lead]
            passed[lead] = gate_logic.passed_stages(ids, old_stage, new_stage, won)
        all_passed = {stage for stages in passed.values() for stage in stages}
        if not all_passed:
            return {}
        items = Item.search([("stage_id", "in", list(all_passed)), ("scope", "=", "stage"), ("required", "=", True)])
        if not items:
            return {}
        items_by_stage = defaultdict(lambda: Item)
        for item in items:
            items_by_stage[item.stage_id.id] |= item
        # Manual ticks and overrides, for every lead and item at once.
        lines = self.env["crm.lead.checklist.line"].search([("lead_id", "in", self.ids), ("item_id", "in", items.ids)])
        done_pairs = {
            (line.lead_id.id, line.item_id.id)
            for line in lines
            if line.is_overridden or (line.checked and not line.is_automatic)
        }
        # Automatic items: one filtered_domain per item over the leads that pass it.
        for item in items.filtered("is_automatic"):
            candidates = self.filtered(lambda lead, item=item: item.stage_id.id in passed[lead])
            done_pairs.update((lead.id, item.id) for lead in item._matching(candidates))
        blockers = {}
        for lead in self:
            missing = Item
            for stage_id in passed[lead]:
                missing |= items_by_stage[stage_id].filtered(
                    lambda item, lead=lead: (lead.id, item.id) not in done_pairs
                )
            if missing:
                blockers[lead] = missing
        return blockers

    def _checklist_gate(self, old_stages):
        """Refuse the move when required items of a passed stage are not done (R4.1-R4.6)."""
        blockers = self._checklist_blockers({lead: (old_stages[lead], lead.stage_id.id) for lead in self})
        if not blockers:
            return
        raise ValidationError(self._checklist_blocking_message(blockers))

    def _checklist_blocking_message(self, blockers):
        parts = []
        for lead, items in list(blockers.items())[:20]:
            lines = "\n".join(f"  - {item.stage_id.name}: {item._blocking_label()}" for item in items)
            parts.append(
                self.env._(
                    'R4 sales process: the lead "%(lead)s" cannot move forward to "%(stage)s" until these '
                    "required checklist items are done:\n%(items)s",
                    lead=lead.display_name,
                    stage=lead.stage_id.name,
                    items=lines,
                )
            )
        if len(blockers) > 20:
            parts.append(self.env._("... and %(count)s more leads.", count=len(blockers) - 20))
        return "\n\n".join(parts)

    def _checklist_ensure_lines(self):
        """Give each regulated lead a line for every item of its current stage; one search and
        one create for the whole set."""
        leads = self.filtered(lambda lead: lead.regulation_enabled and lead.stage_id)
        if not leads:
            return
        items = self.env["crm.stage.checklist.item"].search(
            [("stage_id", "in", leads.stage_id.ids), ("scope", "=", "stage")]
        )
        if not items:
            return
        existing = {
            (line.lead_id.id, line.item_id.id)
            for line in self.env["crm.lead.checklist.line"]
            .sudo()  # existence only: another user's tick on a shared lead still counts
            .search([("lead_id", "in", leads.ids), ("item_id", "in", items.ids)])
        }
        vals_list = [
            {"lead_id": lead.id, "item_id": item.id}
            for lead in leads
            for item in items
            if item.stage_id == lead.stage_id and (lead.id, item.id) not in existing
        ]
        if vals_list:
            self.env["crm.lead.checklist.line"].create(vals_list)

    def _checklist_lines_for(self, items):
        """The lead's lines for ``items``, created where missing."""
        self.ensure_one()
        Line = self.env["crm.lead.checklist.line"]
        lines = Line.search([("lead_id", "=", self.id), ("item_id", "in", items.ids)])
        missing = items - lines.item_id
        if missing:
            lines |= Line.create([{"lead_id": self.id, "item_id": item.id} for item in missing])
        return lines

    def _checklist_tick_manual_items(self, stages):
        """Tick the manual items of ``stages`` (demo data and tests)."""
        items = self.env["crm.stage.checklist.item"].search(
            [("stage_id", "in", stages.ids), ("scope", "=", "stage"), ("is_automatic", "=", False)]
        )
        for lead in self:
            lead._checklist_lines_for(items).write({"checked": True})

    def _checklist_advance_to_step(self, step):
        """Move each lead forward, stage by stage, to its pipeline's stage for ``step``,
        ticking the manual items of each stage it leaves (demo data and tests). Automatic
        items still need the lead's data: the gate applies as on any move."""
        for lead in self:
            pipeline = lead._regulation_pipeline(lead.team_id)
            target = pipeline.filtered(lambda s, step=step: s.regulation_step == step)[:1]
            if not target:
                continue
            for stage in pipeline.filtered(lambda s, lead=lead, target=target: s.sequence > lead.stage_id.sequence):
                lead._checklist_tick_manual_items(lead.stage_id)
                lead.write({"stage_id": stage.id})
                if stage == target:
                    break

    def _checklist_override(self, stage, reason):
        """Let each lead of self pass the blocking items on its way to ``stage`` (R4 override):
        record who, when, which items and why on the lines, post it in the chatter, move."""
        now = fields.Datetime.now()
        for lead in self:
            blockers = lead._checklist_blockers_towards(stage)
            if blockers:
                lines = lead._checklist_lines_for(blockers)
                lines.write({"override_reason": reason, "override_user_id": self.env.uid, "override_date": now})
                items_html = Markup("").join(Markup("<li>%s</li>") % item._blocking_label() for item in blockers)
                lead.message_post(
                    body=Markup("%s<ul>%s</ul>%s")
                    % (
                        self.env._(
                            "Checklist override to %(stage)s by %(user)s (R4):",
                            stage=stage.name,
                            user=self.env.user.name,
                        ),
                        items_html,
                        escape(self.env._("Reason: %(reason)s", reason=reason)),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            lead.write({"stage_id": stage.id})

    def _checklist_blockers_towards(self, stage):
        """The items that would block this lead if it moved to ``stage`` now."""
        self.ensure_one()
        if not self.regulation_enabled:
            return self.env["crm.stage.checklist.item"]
        blockers = self._checklist_blockers({self: (self.stage_id.id, stage.id)})
        return blockers.get(self, self.env["crm.stage.checklist.item"])

    # ------------------------------------------------------------------ pipeline display

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """A regulated team with its own regulated pipeline sees only that pipeline in the
        kanban (plus any stage that still holds its leads); other teams as in plain Odoo."""
        team_id = self._context.get("default_team_id")
        if team_id:
            team = self.env["crm.team"].browse(team_id)
            if team.exists() and team.regulation_enabled:
                own = self.env["crm.stage"].search([("team_id", "=", team.id), ("regulation_step", "!=", False)])
                if own:
                    return self.env["crm.stage"].search([("id", "in", (own | stages).ids)])
        return super()._read_group_stage_ids(stages, domain)

    def _stage_find(self, team_id=False, domain=None, order="sequence, id", limit=1):
        """New leads of a regulated team with its own pipeline start in that pipeline."""
        team = self.env["crm.team"].browse(team_id) if team_id else self.team_id[:1]
        if team and team.regulation_enabled:
            own_domain = [("team_id", "=", team.id), ("regulation_step", "!=", False)] + (domain or [])
            own = self.env["crm.stage"].search(own_domain, order=order, limit=limit)
            if own:
                return own
        return super()._stage_find(team_id=team_id, domain=domain, order=order, limit=limit)

    # ------------------------------------------------------------------ actions

    def action_checklist_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Let the Lead Pass"),
            "res_model": "crm.lead.checklist.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }
