from . import crm_lead_checklist_override
from . import crm_team_pipeline_apply
