from . import (
    test_access_matrix,
    test_confidential_document,
    test_confidentiality,
    test_export_control,
    test_foundation,
    test_handover,
    test_regulation_acknowledgement,
    test_sales_process,
)
