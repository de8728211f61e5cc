# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R10.1: who may do what, as data.

ACCESS_MATRIX gives, for every model the addon creates and for the core models it extends
with rules, the operations each role may perform on the model (r: read, w: write, c: create,
u: unlink). A model of the addon without an entry fails test_r10_1_matrix_covers_every_model:
add its row when you add the model.

RECORD_MATRIX gives, for the models whose records belong to someone, what each role may do
(read, write) with a record of the consultant, of a consultant of the same team (led by the
supervisor) and of a consultant of another team.
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.base import workflow_action
from .common import SalesProcessCase

MODULE = "sales_consultant_regulation"
ROLES = ("user", "consultant", "supervisor", "manager", "portal")
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

# The core models the addon extends with record rules or field restrictions.
EXTENDED_CORE_MODELS = (
    "res.partner",
    "crm.lead",
    "sale.order",
    "sale.order.line",
    "product.template",
    "product.product",
    "sale.report",
    "crm.activity.report",
)

# model x role -> operations check_access allows on the model (r: read, w: write, c: create,
# u: unlink, -: none). "user": an internal user outside the regulation's groups; "portal": a
# portal user, who reaches no model of the addon and reads only the contacts and orders Odoo's
# portal rules give him. Lines starting with # are section titles.
ACCESS_TABLE = """
model                               user        consultant  supervisor  manager     portal
# R4 sales process
crm.stage.checklist.item            r           r           r           rwcu        -
crm.lead.checklist.line             -           rwc         rwc         rwcu        -
sale.order.checklist.line           -           rwc         rwc         rwcu        -
crm.lead.checklist.override         -           -           rwc         rwc         -
crm.team.pipeline.apply             -           -           -           rwcu        -
crm.team.pipeline.apply.line        -           -           -           rwcu        -
# R10, R9.4, R1.3 confidentiality and the regulation
sale.regulation                     r           r           r           rwcu        -
sale.regulation.clause              r           r           r           rwcu        -
sale.regulation.acknowledgement     r           r           r           r           -
sale.confidential.document          r           rwcu        rwcu        rwcu        -
sale.confidential.access.log        r           r           r           r           -
sale.confidential.access.reason     rwc         rwc         rwc         rwc         -
sale.export.log                     -           -           -           r           -
sale.regulation.handover            -           -           -           rwcu        -
# R3 customers, R3.5 care and complaints
crm.customer.class                  r           r           r           rwcu        -
crm.care.occasion                   -           r           r           rwcu        -
crm.care.occasion.greeting          -           r           r           rwcu        -
crm.customer.complaint              -           rwc         rwc         rwcu        -
# R9 attendance and daily rules
sale.regulation.absence             -           r           rw          rwcu        -
sale.regulation.discipline.report   -           r           r           r           -
sale.regulation.discipline.alert    -           r           rw          rwcu        -
sale.regulation.holiday.import      -           -           -           rwcu        -
sale.regulation.workday             r           r           r           rwcu        -
# R6 appraisal
sale.appraisal.kpi                  -           r           r           rwcu        -
sale.appraisal.kpi.weights          -           -           -           rwcu        -
sale.appraisal.kpi.weights.line     -           -           -           rwcu        -
sale.appraisal.period               -           r           r           rwcu        -
sale.consultant.target              -           rw          rwcu        rwcu        -
sale.appraisal                      -           r           rw          rwcu        -
sale.appraisal.line                 -           r           r           r           -
sale.appraisal.period.generate      -           -           -           rwcu        -
sale.appraisal.period.reopen        -           -           -           rwcu        -
sale.appraisal.export               -           -           rwc         rwc         -
# R6.4, R7.1 incentives
sale.order.consultant.share         -           rwcu        rwcu        rwcu        -
sale.incentive.plan                 -           r           r           rwcu        -
sale.incentive.rate                 -           r           r           rwcu        -
sale.incentive.tier                 -           r           r           rwcu        -
sale.incentive.statement            -           r           r           rwcu        -
sale.incentive.statement.line       -           r           r           rwcu        -
sale.incentive.statement.dispute    -           rwc         rwc         rwc         -
sale.incentive.statement.export     -           rwc         rwc         rwc         -
sale.incentive.statement.pay        -           -           -           rwcu        -
sale.incentive.compute              -           -           -           rwcu        -
sale.promotion.rule                 -           -           -           rwcu        -
sale.promotion.review               -           -           -           rwcu        -
sale.promotion.review.line          -           -           -           rwcu        -
# R5 techniques, R8 training, R2.5/R7.2 market feedback
sale.objection                      -           r           r           rwcu        -
crm.lead.objection                  -           rwcu        rwcu        rwcu        -
crm.lead.objection.report           -           r           r           r           -
sale.training.plan                  -           r           r           rwcu        -
sale.training.session               -           r           rwcu        rwcu        -
sale.training.evaluation            -           r           rwc         rwcu        -
crm.market.feedback                 rw          rwc         rwc         rwcu        -
crm.market.feedback.type            r           r           r           rwcu        -
# core models (consultants create and delete contacts: Odoo's Contact Creation right)
res.partner                         r           rwcu        rwcu        rwcu        r
crm.lead                            -           rwc         rwc         rwcu        -
sale.order                          -           rwc         rwc         rwcu        r
sale.order.line                     -           rwcu        rwcu        rwcu        r
product.template                    r           r           r           rwcu        -
product.product                     r           r           r           rwcu        -
sale.report                         -           r           r           r           -
crm.activity.report                 -           r           r           r           -
"""


def parse_access_table(table):
    """{model: {role: operations}} from ACCESS_TABLE."""
    rows = [line.split() for line in table.strip().splitlines() if line.strip() and not line.startswith("#")]
    roles = rows[0][1:]
    return {
        row[0]: {role: ("" if value == "-" else value) for role, value in zip(roles, row[1:], strict=True)}
        for row in rows[1:]
    }


ACCESS_MATRIX = parse_access_table(ACCESS_TABLE)

# model -> role -> (on the consultant's record, on a team mate's, on another team's)
OWN_TEAM_OTHER = {
    "consultant": ("rw", "", ""),
    "supervisor": ("rw", "rw", ""),
    "manager": ("rw", "rw", "rw"),
    "portal": ("", "", ""),
}
# A portal user reaches none of these records (they are not his orders nor his contact); the
# rows below that do not name him expect nothing for him.
NOTHING = ("", "", "")
RECORD_MATRIX = {
    "res.partner": OWN_TEAM_OTHER,
    "crm.lead": OWN_TEAM_OTHER,
    "sale.order": OWN_TEAM_OTHER,
    "sale.order.line": OWN_TEAM_OTHER,
    "crm.lead.checklist.line": OWN_TEAM_OTHER,
    "sale.order.checklist.line": OWN_TEAM_OTHER,
    # Documents: their owner and the managers; others only when allowed (test_confidential_document).
    "sale.confidential.document": {"consultant": ("rw", "", ""), "supervisor": ("", "", ""), "manager": ("rw",) * 3},
    "sale.confidential.access.log": {"consultant": ("r", "", ""), "supervisor": ("", "", ""), "manager": ("r",) * 3},
    "sale.regulation.acknowledgement": {
        "consultant": ("r", "", ""),
        "supervisor": ("r", "r", ""),
        "manager": ("r",) * 3,
    },
    "sale.export.log": {"consultant": ("", "", ""), "supervisor": ("", "", ""), "manager": ("r",) * 3},
    # R3.5 complaints, R7.1 shared deals
    "crm.customer.complaint": OWN_TEAM_OTHER,
    "sale.order.consultant.share": OWN_TEAM_OTHER,
    # R6 targets and appraisals: a consultant reads their own, the supervisor evaluates the team's.
    "sale.consultant.target": OWN_TEAM_OTHER,
    "sale.appraisal": {"consultant": ("r", "", ""), "supervisor": ("rw", "rw", ""), "manager": ("rw",) * 3},
    "sale.appraisal.line": {"consultant": ("r", "", ""), "supervisor": ("r", "r", ""), "manager": ("r",) * 3},
    # R6.4 statements: the consultant's own once confirmed, the team's for its supervisor.
    "sale.incentive.statement": {"consultant": ("r", "", ""), "supervisor": ("r", "r", ""), "manager": ("rw",) * 3},
    # R9 absences: the supervisor excuses the team's.
    "sale.regulation.absence": {"consultant": ("r", "", ""), "supervisor": ("rw", "rw", ""), "manager": ("rw",) * 3},
    # R5.3 objections follow their lead; R2.5/R7.2 feedback its consultant; R8.4 evaluations
    # are read by their consultant and written by the team's supervisor.
    "crm.lead.objection": OWN_TEAM_OTHER,
    "crm.market.feedback": OWN_TEAM_OTHER,
    "sale.training.evaluation": {
        "consultant": ("r", "", ""),
        "supervisor": ("rw", "rw", ""),
        "manager": ("rw",) * 3,
    },
}


# Issue 13, finding 8: the contacts a role reads (r) and changes (w); "-": none. The company's
# and the users' contacts are read only for consultants and supervisors (their own card
# excepted); a customer of nobody is changed only by the one who created it.
CONTACT_KINDS = (
    "company",
    "own card",
    "colleague's card",
    "unassigned",
    "unassigned, own",
    "consultant's customer",
    "other team's customer",
)
CONTACT_TABLE = {
    #              company own card colleague's unassigned unassigned, own consultant's other team's
    "user": ("r", "r", "r", "r", "r", "r", "r"),
    "consultant": ("r", "rw", "r", "r", "rw", "rw", "-"),
    "supervisor": ("r", "rw", "r", "r", "rw", "rw", "-"),
    "manager": ("rw", "rw", "rw", "rw", "rw", "rw", "rw"),
    "portal": ("-", "r", "-", "-", "-", "-", "-"),
}


def allowed_by_check_access(records, letters):
    """The letters of ``letters`` whose operation ``check_access`` lets the user of
    ``records`` perform on them (on the model when ``records`` is empty)."""
    allowed = ""
    for letter in letters:
        try:
            records.check_access(OPERATIONS[letter])
        except AccessError:
            continue
        allowed += letter
    return allowed


@tagged("post_install", "-at_install")
class TestAccessMatrix(SalesProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="scr_matrix_user", groups="base.group_user")
        cls.outsider = new_test_user(
            cls.env, login="scr_matrix_outsider", groups=f"base.group_user,{MODULE}.group_consultant"
        )
        cls.free_team.crm_team_member_ids = [Command.create({"user_id": cls.outsider.id})]
        if cls.regulation:
            cls.env["sale.regulation.acknowledgement"].create(
                {"regulation_id": cls.regulation.id, "user_id": cls.outsider.id}
            )
        cls.role_users = {
            "user": cls.user,
            "consultant": cls.consultant,
            "supervisor": cls.supervisor,
            "manager": cls.manager,
            "portal": new_test_user(cls.env, login="scr_matrix_portal", groups="base.group_portal"),
        }
        cls.owners = (cls.consultant, cls.consultant2, cls.outsider)
        with workflow_action():  # appraisals and statements are made as the system makes them
            cls.records = {model: [cls._record(model, owner) for owner in cls.owners] for model in RECORD_MATRIX}

    @classmethod
    def _record(cls, model, owner):
        env = cls.env
        team = cls.team if owner != cls.outsider else cls.free_team
        tag = owner.login
        if model == "res.partner":
            return env["res.partner"].create({"name": f"Customer of {tag}", "user_id": owner.id})
        if model in ("crm.lead", "crm.lead.checklist.line"):
            lead = env["crm.lead"].create(
                {"name": f"Lead of {tag}", "type": "opportunity", "user_id": owner.id, "team_id": cls.team.id}
            )
            # Another team's lead is moved out after its checklist lines exist.
            lead.team_id = team
            return lead if model == "crm.lead" else lead.checklist_line_ids[:1]
        if model in ("sale.order", "sale.order.line", "sale.order.checklist.line"):
            order = env["sale.order"].create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": owner.id,
                    "team_id": cls.team.id,
                    "order_line": [Command.create({"product_id": cls.product.id})],
                }
            )
            order.team_id = team
            return {"sale.order": order, "sale.order.line": order.order_line}.get(model) or order.review_line_ids[:1]
        if model == "sale.confidential.document":
            return env[model].create({"name": f"Notes of {tag}", "owner_id": owner.id})
        if model == "sale.confidential.access.log":
            document = env["sale.confidential.document"].create({"name": f"Logged of {tag}", "owner_id": owner.id})
            return env[model].create({"document_id": document.id, "user_id": owner.id, "access_type": "open"})
        if model == "sale.regulation.acknowledgement":
            regulation = env["sale.regulation"].create(
                {"name": f"Matrix {tag}", "version": tag, "clause_ids": [Command.create({"code": "R1", "name": "R"})]}
            )
            return env[model].create({"regulation_id": regulation.id, "user_id": owner.id})
        if model == "sale.export.log":
            return env[model].create({"user_id": owner.id, "model": "res.partner", "record_count": 1})
        if model == "crm.customer.complaint":
            customer = env["res.partner"].create({"name": f"Complaining customer of {tag}", "user_id": owner.id})
            return env[model].create(
                {
                    "subject": f"Late delivery for {tag}",
                    "partner_id": customer.id,
                    "user_id": owner.id,
                    "team_id": team.id,
                }
            )
        if model == "sale.order.consultant.share":
            order = env["sale.order"].create({"partner_id": cls.customer.id, "user_id": owner.id, "team_id": team.id})
            # An order of a regulated team credits its salesperson in full by itself (R7.1).
            return order.consultant_share_ids or env[model].create({"order_id": order.id, "user_id": owner.id})
        if model == "sale.consultant.target":
            return env[model].create({"user_id": owner.id, "period_id": cls._matrix_period().id, "amount_target": 1000})
        if model in ("sale.appraisal", "sale.appraisal.line"):
            period = cls._matrix_period()
            appraisal = env["sale.appraisal"].search([("period_id", "=", period.id), ("user_id", "=", owner.id)])
            appraisal = appraisal or env["sale.appraisal"].create(
                {"period_id": period.id, "user_id": owner.id, "team_id": team.id}
            )
            if model == "sale.appraisal":
                return appraisal
            kpi = env["sale.appraisal.kpi"].search([], limit=1)
            return appraisal.line_ids[:1] or env[model].create({"appraisal_id": appraisal.id, "kpi_id": kpi.id})
        if model == "sale.incentive.statement":
            if not cls.__dict__.get("_matrix_plan"):
                cls._matrix_plan = env["sale.incentive.plan"].create({"name": "SCR Matrix Plan"})
            statement = env[model].create(
                {
                    "plan_id": cls._matrix_plan.id,
                    "period_id": cls._matrix_period().id,
                    "user_id": owner.id,
                    "team_id": team.id,
                }
            )
            statement.state = "confirmed"
            return statement
        if model == "sale.regulation.absence":
            employee = owner.employee_id or env["hr.employee"].create({"name": owner.name, "user_id": owner.id})
            return env[model].create({"employee_id": employee.id, "date": "2020-05-04"})
        if model == "crm.lead.objection":
            if not cls.__dict__.get("_matrix_objection"):
                cls._matrix_objection = env["sale.objection"].create({"name": "SCR Matrix: too expensive"})
            lead = env["crm.lead"].create(
                {"name": f"Objecting lead of {tag}", "type": "opportunity", "user_id": owner.id, "team_id": team.id}
            )
            return env[model].create({"lead_id": lead.id, "objection_id": cls._matrix_objection.id})
        if model == "crm.market.feedback":
            return env[model].create(
                {"name": f"Market news from {tag}", "user_id": owner.id, "team_id": team.id, "description": "News"}
            )
        if model == "sale.training.evaluation":
            plan = env["sale.training.plan"].create(
                {"name": f"Matrix training of {tag}", "date_from": "2020-01-01", "date_to": "2020-12-31"}
            )
            session = env["sale.training.session"].create(
                {
                    "name": f"Matrix session of {tag}",
                    "plan_id": plan.id,
                    "date": "2020-03-02 09:00:00",
                    "attendee_ids": [Command.set(owner.ids)],
                }
            )
            session.evaluation_ids.team_id = team
            return session.evaluation_ids
        raise AssertionError(f"no fixture for {model}")

    @classmethod
    def _matrix_period(cls):
        if not cls.__dict__.get("_period"):
            cls._period = cls.env["sale.appraisal.period"].create(
                {
                    "name": "SCR Matrix 2020-05",
                    "period_type": "month",
                    "date_from": "2020-05-01",
                    "date_to": "2020-05-31",
                }
            )
        return cls._period

    def test_r10_1_matrix_covers_every_model(self):
        """Every model the addon creates, and every core model it extends with rules, has a row."""
        addon_models = {
            name for name in self.env if self.env[name]._original_module == MODULE and not self.env[name]._abstract
        }
        missing = sorted((addon_models | set(EXTENDED_CORE_MODELS)) - set(ACCESS_MATRIX))
        self.assertFalse(missing, f"add these models to ACCESS_MATRIX: {missing}")
        self.assertFalse(set(ACCESS_MATRIX) - set(self.env), "ACCESS_MATRIX names a model that does not exist")

    def test_r10_1_model_access_by_role(self):
        for model, expected in ACCESS_MATRIX.items():
            for role in ROLES:
                allowed = allowed_by_check_access(self.env[model].with_user(self.role_users[role]), "rwcu")
                with self.subTest(model=model, role=role):
                    self.assertEqual(allowed, expected[role])

    def test_r10_1_record_access_by_role(self):
        scopes = ("own", "team mate's", "other team's")
        for model, by_role in RECORD_MATRIX.items():
            records = self.records[model]
            self.assertTrue(all(records), f"{model}: a fixture record is missing")
            for role in ROLES[1:]:
                expectations = by_role.get(role, NOTHING)
                user = self.role_users[role]
                for scope, record, expected in zip(scopes, records, expectations, strict=True):
                    allowed = allowed_by_check_access(record.with_user(user), "rw")
                    with self.subTest(model=model, role=role, record=scope):
                        self.assertEqual(allowed, expected)

    def test_r10_contacts_by_role(self):
        """Finding 8 of issue 13: which contacts each role reads (r) and changes (w)."""
        env = self.env
        Partner = env["res.partner"]
        contacts = {
            "company": self.company.partner_id,
            "own card": None,  # the role's own user contact, below
            "colleague's card": self.consultant2.partner_id,
            "unassigned": Partner.create({"name": "SCR Matrix Unassigned"}),
            "unassigned, own": None,  # created by the role's user, below
            "consultant's customer": self.records["res.partner"][0],
            "other team's customer": self.records["res.partner"][2],
        }
        for role, expected in CONTACT_TABLE.items():
            user = self.role_users[role]
            own = dict(contacts)
            own["own card"] = user.partner_id
            # sudo: made in the name of the user, who may not create contacts himself
            own["unassigned, own"] = Partner.with_user(user).sudo().create({"name": f"SCR Found by {user.login}"})
            for kind, answer in zip(CONTACT_KINDS, expected, strict=True):
                with self.subTest(role=role, contact=kind):
                    self.assertEqual(allowed_by_check_access(own[kind].with_user(user), "rw"), answer.strip("-"))
