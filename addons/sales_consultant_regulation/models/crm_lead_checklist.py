# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R4 on leads: the stage checklists, their gate on every stage change, the supervisor's override
and the regulated pipeline shown to a regulated team."""

from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import stage_gate
from .base import workflow_step

CLOSING_TECHNIQUES = [
    ("assumptive", "Assumptive Close"),
    ("choice", "Choice Close"),
    ("discount", "Discount Close"),
    ("other", "Other"),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    closing_technique = fields.Selection(
        CLOSING_TECHNIQUES,
        help="The closing technique that won the deal (R5.4); required to mark a regulated lead won.",
    )

    # R4 checklist
    regulation_enabled = fields.Boolean(related="team_id.regulation_enabled", string="Regulated")

    regulation_stage_ids = fields.Many2many(
        "crm.stage",
        compute="_compute_regulation_stage_ids",
        help="The stages of the lead's pipeline: the team's own regulated pipeline when it has one.",
    )

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

    @api.depends("team_id")
    def _compute_regulation_stage_ids(self):
        pipelines = {}
        for lead in self:
            if lead.team_id not in pipelines:
                pipelines[lead.team_id] = self._regulation_pipeline(lead.team_id)
            lead.regulation_stage_ids = pipelines[lead.team_id]

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
            lead.checklist_progress = stage_gate.progress(done, len(lines))
            lead.checklist_blocked = done < len(lines)

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
            passed[lead] = stage_gate.passed_stages(ids, old_stage, new_stage, won)
        all_passed = {stage for stages in passed.values() for stage in stages}
        if not all_passed:
            return {}
        items = Item.search([("stage_id", "in", list(all_passed)), ("scope", "=", "stage"), ("required", "=", True)])
        if not items:
            return {}
        items_by_stage = defaultdict(lambda: Item)
        for item in items:
            items_by_stage[item.stage_id.id] |= item
        # Manual ticks and overrides, for every lead and item at once, in one query (ids only:
        # building records for every line would cost more than the query).
        Line = self.env["crm.lead.checklist.line"]
        query = Line._search(
            [
                ("lead_id", "in", self.ids),
                ("item_id", "in", items.ids),
                "|",
                ("is_overridden", "=", True),
                "&",
                ("checked", "=", True),
                ("item_id.is_automatic", "=", False),
            ]
        )
        done_pairs = set(
            self.env.execute_query(
                query.select(SQL.identifier(Line._table, "lead_id"), SQL.identifier(Line._table, "item_id"))
            )
        )
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
        """Give each regulated lead a line for every item of its current stage.

        One INSERT ... SELECT for the whole set, whatever the number of leads and items: a
        mass move through the pipeline (kanban, import, RPC) must not create lines one ORM
        batch at a time. The stored related fields are filled from the same joins the ORM
        would follow, and the unique (lead, item) constraint makes it idempotent."""
        leads = self.filtered(lambda lead: lead.regulation_enabled and lead.stage_id)
        if not leads:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_lead_checklist_line
                    (lead_id, item_id, stage_id, stage_sequence, sequence, company_id, user_id, team_id,
                     checked, is_overridden, create_uid, create_date, write_uid, write_date)
                SELECT lead.id, item.id, item.stage_id, stage.sequence, item.sequence, lead.company_id,
                       lead.user_id, lead.team_id, FALSE, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM crm_lead lead
                  JOIN crm_stage_checklist_item item
                    ON item.stage_id = lead.stage_id AND item.scope = 'stage' AND item.active
                  JOIN crm_stage stage ON stage.id = item.stage_id
                 WHERE lead.id IN %(lead_ids)s
                ON CONFLICT (lead_id, item_id) DO NOTHING
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                lead_ids=tuple(leads.ids),
            )
        )
        if self.env.cr.rowcount:
            leads.invalidate_recordset(["checklist_line_ids"])

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

    @workflow_step
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

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """A regulated team with its own regulated pipeline sees only that pipeline in the
        kanban (plus any stage that still holds its leads); other teams as in plain Odoo."""
        team_id = self._context.get("default_team_id")
        # The pipeline menu carries no team: fall back on the user's own sales team.
        team = self.env["crm.team"].browse(team_id) if team_id else self.env.user.sale_team_id
        if team and team.exists() and team.regulation_enabled:
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
