# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Compliance figures of the clauses on customers, leads, orders and the departments (R2-R5, R7.2):
channels, checklists, files, classes, complaints, contract reviews, deliveries, satisfaction,
objections and feedback."""

from odoo import api, fields, models
from odoo.tools import SQL


class SaleRegulationClause(models.Model):
    _inherit = "sale.regulation.clause"

    def _compliance_lead_domain(self, company, start, stop, date_field):
        return [
            ("company_id", "in", [False, company.id]),
            ("team_id.regulation_enabled", "=", True),
            (date_field, ">=", start),
            (date_field, "<", stop),
        ]

    @api.model
    def _compliance_lead_channel(self, company, date_from, date_to):
        """R3.1: regulated leads created in the period with their channel (source or medium)."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        domain = self._compliance_lead_domain(company, *self._compliance_bounds(date_from, date_to), "create_date")
        total = Lead.search_count(domain)
        count = Lead.search_count([*domain, "|", ("source_id", "!=", False), ("medium_id", "!=", False)])
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s new regulated leads name their channel", count=count, total=total),
            self.env._("No regulated lead created in the period."),
        )

    @api.model
    def _compliance_lead_checklist(self, company, date_from, date_to):
        """R3.2, R4.1-R4.5: regulated leads that changed stage in the period without any
        checklist item overridden in the period."""
        start, stop = self._compliance_bounds(date_from, date_to)
        Lead = self.env["crm.lead"].with_context(active_test=False)
        domain = self._compliance_lead_domain(company, start, stop, "date_last_stage_update")
        total = Lead.search_count(domain)
        overridden = Lead.search_count(
            [
                *domain,
                ("checklist_line_ids.override_date", ">=", start),
                ("checklist_line_ids.override_date", "<", stop),
            ]
        )
        count = total - overridden
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s regulated leads moved without an override", count=count, total=total),
            self.env._("No regulated lead changed stage in the period."),
        )

    def _compliance_customer_domain(self, company):
        """The customers of the company's consultants: commercial partners whose salesperson is a
        consultant of the company."""
        return [
            ("parent_id", "=", False),
            ("company_id", "in", [False, company.id]),
            ("user_id", "any", self._compliance_consultant_domain(company)),
        ]

    @api.model
    def _compliance_file_completeness(self, company, date_from, date_to):
        """R3.3: the average completeness of the consultants' customer files (now)."""
        domain = self._compliance_customer_domain(company)
        [(average, total)] = self.env["res.partner"]._read_group(domain, [], ["file_completeness:avg", "__count"])
        complete = self.env["res.partner"].search_count([*domain, ("file_completeness", ">=", 100.0)])
        if not total:
            return 0, 0, 0.0, self.env._("No customer of a consultant yet.")
        rate = round(average or 0.0, 2)
        return (
            complete,
            total,
            rate,
            self.env._(
                "%(count)s of %(total)s customer files complete, %(rate)s %% complete on average",
                count=complete,
                total=total,
                rate=rate,
            ),
        )

    @api.model
    def _compliance_customer_class(self, company, date_from, date_to):
        """R3.4: the consultants' customers that have a class (now)."""
        domain = self._compliance_customer_domain(company)
        total = self.env["res.partner"].search_count(domain)
        count = self.env["res.partner"].search_count([*domain, ("customer_class_id", "!=", False)])
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s customers of consultants are classified", count=count, total=total),
            self.env._("No customer of a consultant yet."),
        )

    @api.model
    def _compliance_complaint_deadline(self, company, date_from, date_to):
        """R2.3, R3.5: complaints reported in the period, answered and resolved within their
        deadlines (neither late nor overdue)."""
        start, stop = self._compliance_bounds(date_from, date_to)
        Complaint = self.env["crm.customer.complaint"]
        domain = [("company_id", "=", company.id), ("reported_date", ">=", start), ("reported_date", "<", stop)]
        total = Complaint.search_count(domain)
        count = Complaint.search_count([*domain, ("is_late", "=", False), ("overdue", "=", False)])
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s complaints answered and resolved within their deadlines",
                count=count,
                total=total,
            ),
            self.env._("No complaint reported in the period."),
        )

    def _compliance_order_sql(self, company, start, stop, date_column, condition):
        """(compliant, total) confirmed orders of regulated teams whose ``date_column`` falls in
        the period: one query, as the condition compares two columns of the order."""
        self.env["sale.order"].flush_model()
        self.env["crm.team"].flush_model(["regulation_enabled"])
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(*) FILTER (WHERE %(condition)s), COUNT(*)
                     FROM sale_order o
                     JOIN crm_team t ON t.id = o.team_id
                    WHERE t.regulation_enabled AND o.state = 'sale' AND o.company_id = %(company)s
                      AND %(column)s >= %(start)s AND %(column)s < %(stop)s""",
                condition=condition,
                company=company.id,
                column=SQL.identifier("o", date_column),
                start=start,
                stop=stop,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _compliance_contract_review(self, company, date_from, date_to):
        """R2.4, R4.6: regulated orders confirmed in the period whose contract review was passed
        by someone other than their salesperson."""
        count, total = self._compliance_order_sql(
            company,
            *self._compliance_bounds(date_from, date_to),
            "date_order",
            SQL("o.review_state = 'passed' AND o.reviewer_id IS NOT NULL AND o.reviewer_id IS DISTINCT FROM o.user_id"),
        )
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s regulated orders confirmed after a review by another user",
                count=count,
                total=total,
            ),
            self.env._("No regulated order confirmed in the period."),
        )

    @api.model
    def _compliance_delivery_on_time(self, company, date_from, date_to):
        """R4.7: regulated orders whose committed delivery date fell in the period (up to now),
        delivered by that date."""
        start, stop = self._compliance_bounds(date_from, date_to)
        count, total = self._compliance_order_sql(
            company,
            start,
            min(stop, fields.Datetime.now()),
            "commitment_date",
            SQL("o.delivered_date IS NOT NULL AND o.delivered_date <= o.commitment_date"),
        )
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s committed deliveries made on time", count=count, total=total),
            self.env._("No committed delivery date fell in the period."),
        )

    @api.model
    def _compliance_satisfaction_answered(self, company, date_from, date_to):
        """R4.8: return visits of the period whose satisfaction survey the customer answered."""
        Order = self.env["sale.order"]
        domain = [
            ("company_id", "=", company.id),
            ("return_visit_date", ">=", date_from),
            ("return_visit_date", "<=", date_to),
        ]
        total = Order.search_count(domain)
        count = Order.search_count([*domain, ("satisfaction_answered", "=", True)])
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s return-visit surveys answered", count=count, total=total),
            self.env._("No return visit scheduled in the period."),
        )

    @api.model
    def _compliance_objection_resolved(self, company, date_from, date_to):
        """R5.3: objections met on leads in the period that the consultant resolved."""
        groups = self.env["crm.lead.objection"]._read_group(
            [("company_id", "in", [False, company.id]), ("date", ">=", date_from), ("date", "<=", date_to)],
            ["outcome"],
            ["__count"],
        )
        total = sum(n for __, n in groups)
        count = sum(n for outcome, n in groups if outcome == "resolved")
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s objections met on leads were resolved", count=count, total=total),
            self.env._("No objection recorded in the period."),
        )

    @api.model
    def _compliance_feedback_answered(self, company, date_from, date_to):
        """R2.5, R7.2: market feedback routed in the period that its departments answered."""
        start, stop = self._compliance_bounds(date_from, date_to)
        groups = self.env["crm.market.feedback"]._read_group(
            [("company_id", "=", company.id), ("routed_date", ">=", start), ("routed_date", "<", stop)],
            ["state"],
            ["__count"],
        )
        total = sum(n for __, n in groups)
        count = sum(n for state, n in groups if state in ("done", "rejected"))
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s market feedback routed to departments were answered", count=count, total=total
            ),
            self.env._("No market feedback routed in the period."),
        )
