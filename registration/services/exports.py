"""Exports of children's data for organisers; each one logs its reads (AthleteAccess) and reveals."""

from __future__ import annotations

from django.views.decorators.debug import sensitive_variables

from events.exports import spreadsheet_cell
from events.models import Programme
from registration.enums import AthleteAccessKind, RevealPurpose
from registration.errors import RevealError
from registration.models import Entry
from registration.selectors.organiser import INSURED_STATUSES
from registration.services.athletes import athletes_access_log
from registration.services.documents import document_reveal

INSURANCE_HEADER = ["name_zh", "name_latin", "sex", "birth_date", "document", "event", "delegation"]


@sensitive_variables()
def insurance_rows(
    programme: Programme, *, event=None, reveal_by=None, reason: str = "", read_by=None
) -> list[list[str]]:
    """The minimum fields for the accident insurer. Masked documents unless `reveal_by` is given:
    then each athlete's number is revealed through `document_reveal` (one DocumentReveal row each;
    demo documents stay masked). With `read_by`, every exported athlete gets an AthleteAccess row."""

    queryset = (
        Entry.objects.filter(event__programme=programme, status__in=INSURED_STATUSES)
        .select_related("athlete", "event", "team__delegation")
        .defer("athlete__document_number_encrypted")
        .order_by("event__start_date", "event__pk", "team__delegation__name_zh", "athlete__name_latin", "pk")
    )
    if event:
        queryset = queryset.filter(event=event)
    rows = []
    for entry in queryset:
        athlete = entry.athlete
        document = athlete.document_masked
        if reveal_by is not None:
            try:
                document = document_reveal(
                    athlete=athlete, user=reveal_by, purpose=RevealPurpose.INSURANCE, reason=reason
                )
            except RevealError:
                document = athlete.document_masked
        rows.append(
            [
                spreadsheet_cell(cell)
                for cell in (
                    athlete.name_zh,
                    athlete.name_latin,
                    athlete.get_sex_display(),
                    athlete.birth_date.isoformat(),
                    document,
                    entry.event.name,
                    entry.team.delegation.name,
                )
            ]
        )
    if read_by is not None:
        athletes_access_log(
            athletes=[entry.athlete for entry in queryset], user=read_by, kind=AthleteAccessKind.EXPORT
        )
    return rows
