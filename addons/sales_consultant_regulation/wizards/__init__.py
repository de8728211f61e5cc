from . import crm_lead_checklist_override
from . import crm_team_pipeline_apply
from . import sale_regulation_holiday_import
