from . import test_foundation, test_sales_process
