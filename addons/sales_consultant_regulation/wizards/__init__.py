from . import crm_lead_checklist_override, crm_team_pipeline_apply
