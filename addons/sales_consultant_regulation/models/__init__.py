from . import (
    crm_lead,
    crm_lead_checklist_line,
    crm_stage,
    crm_stage_checklist_item,
    crm_team,
    res_company,
    res_config_settings,
    sale_order,
    sale_order_checklist_line,
    sale_order_line,
)
