from . import test_attendance, test_foundation, test_sales_process
