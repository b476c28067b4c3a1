"""Identity-document checks for rosters: re-exported from `ticketing.documents`, the one validator for
documents in the lowest app that needs it (real-name ticket holders and athletes share it)."""

from ticketing.documents import (  # noqa: F401 - re-exported for registration's forms and services
    DEMO_PREFIX,
    GB11643_TYPES,
    MOD11_2_CHECK_CHARS,
    MOD11_2_WEIGHTS,
    ParsedNumber,
    mod11_2_check_char,
    normalise_document_number,
    parse_foreign_permanent_residence,
    parse_residence_permit,
    parse_resident_id,
    province_table,
    validate_document,
)
