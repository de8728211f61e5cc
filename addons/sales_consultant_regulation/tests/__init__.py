from . import (
    test_customer_care,
    test_customer_class,
    test_customer_complaint,
    test_customer_file,
    test_customer_followup,
    test_foundation,
    test_sales_process,
)
