from . import test_attendance
from . import test_customer_care
from . import test_customer_class
from . import test_customer_complaint
from . import test_customer_file
from . import test_customer_followup
from . import test_foundation
from . import test_sales_process
