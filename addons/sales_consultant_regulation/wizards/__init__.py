from . import (
    crm_lead_checklist_override,
    crm_team_pipeline_apply,
    sale_appraisal_export,
    sale_appraisal_period_generate,
    sale_appraisal_period_reopen,
    sale_incentive_compute,
    sale_incentive_statement_dispute,
    sale_incentive_statement_export,
    sale_incentive_statement_pay,
    sale_promotion_review,
)
