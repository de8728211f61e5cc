from . import test_appraisal, test_consultant_share, test_foundation, test_incentive, test_sales_process
