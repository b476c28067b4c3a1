"""The city report: organisers (two-factor passed) and city bureau viewers see how a programme's
crowd became spending, as figures, server-drawn charts with their data tables, and CSV. Every cell
describing fewer than 10 people is suppressed (tourism/selectors/report_figures.py)."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from events.exports import spreadsheet_cell
from ticketing.money import format_fen
from tourism.selectors.report import city_report_for, is_organiser_of, programmes_reportable_by, report_scope
from tourism.selectors.report_figures import Breakdown, CityReport
from tourism.views.charts import Chart, Series

MAX_DAYS = 400


class ReportFilterForm(forms.Form):
    city = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("City"))
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = scope.cities
        self.fields["city"].empty_label = _("Every city") if scope.organiser else None
        self.fields["city"].required = not scope.organiser

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days > MAX_DAYS):
            raise forms.ValidationError(_("Choose an end on or after the start, at most 400 days later."))
        return data


def _filters(request, pk: int):
    """The programme (404 unless this person may see its report), their scope and the checked
    filters (the programme's dates and, for a bureau viewer, their first city, unless chosen)."""
    programme = get_object_or_404(programmes_reportable_by(request.user), pk=pk)
    scope = report_scope(request.user, programme)
    first_city = scope.cities.first()
    initial = {"start": programme.start_date, "end": programme.end_date}
    if not scope.organiser:
        if first_city is None:
            raise Http404
        initial["city"] = first_city.pk
    data = request.GET if request.GET.get("start") else None
    form = ReportFilterForm(data, initial=initial, scope=scope)
    if data is not None and form.is_valid():
        chosen = form.cleaned_data
    else:
        chosen = {
            "city": None if scope.organiser else first_city,
            **{k: initial[k] for k in ("start", "end")},
        }
    return programme, scope, form, chosen


def _charts(report: CityReport) -> list[tuple[Chart, str]]:
    def yuan(fen: int) -> str:
        return format_fen(fen)

    def labels(part: Breakdown) -> tuple[str, ...]:
        return tuple(cell.label for cell in part.cells)

    by_day = {cell.key: cell for cell in report.by_day.cells}
    days = report.days or tuple(by_day)
    day_values = tuple((by_day[day].value("redemptions") if day in by_day else 0) for day in days)
    spending = [
        (report.by_host, "host", _("Spending by city where redeemed"), _("City")),
        (report.by_category, "category", _("Spending by merchant category"), _("Category")),
    ]
    charts = [
        (
            Chart(
                kind="line",
                title=_("Redemptions by day"),
                categories=tuple(f"{day:%m-%d}" for day in days),
                series=(Series(_("Redemptions"), day_values),),
                slug="by-day",
            ),
            _("Day"),
        ),
        (
            Chart(
                kind="bar",
                title=_("Visitors by city of origin"),
                description=_(
                    "Stub holders by the prefecture of their verified document; unknown without one."
                ),
                categories=labels(report.by_origin),
                series=(Series(_("Visitors"), tuple(c.value("people") for c in report.by_origin.cells)),),
                slug="by-origin",
            ),
            _("Origin"),
        ),
    ]
    for part, slug, title, heading in spending:
        charts.append(
            (
                Chart(
                    kind="stacked",
                    title=title,
                    description=_(
                        "Each bar is the bills before discount: what visitors paid plus the discount."
                    ),
                    categories=labels(part),
                    series=(
                        Series(
                            _("Paid by visitors"),
                            tuple(None if c.hidden else c.bill_fen - c.discount_fen for c in part.cells),
                        ),
                        Series(_("Discount"), tuple(c.value("discount_fen") for c in part.cells)),
                    ),
                    fmt=yuan,
                    slug=f"by-{slug}",
                ),
                heading,
            )
        )
    return charts


@login_required
def city_report(request, pk: int):
    programme, scope, form, chosen = _filters(request, pk)
    report = city_report_for(programme, city=chosen["city"], start=chosen["start"], end=chosen["end"])
    csv_query = request.GET.urlencode()
    return render(
        request,
        "tourism/city_report.html",
        {
            "programme": programme,
            "scope": scope,
            "form": form,
            "chosen": chosen,
            "report": report,
            "charts": _charts(report),
            "tables": [
                (_("By city of origin"), report.by_origin),
                (_("By city where redeemed"), report.by_host),
                (_("By merchant category"), report.by_category),
                (_("By day"), report.by_day),
            ],
            "csv_query": csv_query,
        },
    )


def _csv_rows(report: CityReport) -> list[list]:
    hidden = _("suppressed (fewer than 10 people)")

    def cells(cell) -> list:
        if cell.hidden:
            return [hidden] * 5
        return [
            cell.people,
            cell.redemptions,
            f"{cell.bill_fen / 100:.2f}",
            f"{cell.discount_fen / 100:.2f}",
            f"{cell.subsidy_fen / 100:.2f}",
        ]

    rows = [
        [
            pgettext("report column", "Table"),
            _("Row"),
            _("Visitors"),
            _("Redemptions"),
            _("Bills (CNY)"),
            _("Discounts (CNY)"),
            _("Subsidy (CNY)"),
        ]
    ]
    for title, part in (
        (_("City of origin"), report.by_origin),
        (_("City where redeemed"), report.by_host),
        (_("Merchant category"), report.by_category),
        (_("Day"), report.by_day),
    ):
        rows.extend([title, cell.label, *cells(cell)] for cell in part.cells)
        rows.append([title, _("Total"), *cells(part.total)])
    rows.extend([_("Top merchants"), cell.label, *cells(cell)] for cell in report.top)
    funnel = report.funnel
    for label, value in (
        (_("Stubs issued"), funnel.issued),
        (_("Stubs activated"), funnel.activated),
        (_("Stubs redeemed"), funnel.redeemed),
    ):
        rows.append([_("Stubs"), label, hidden if value is None else value, "", "", "", ""])
    return [[spreadsheet_cell(value) for value in row] for row in rows]


@login_required
def city_report_csv(request, pk: int):
    programme, _scope, _form, chosen = _filters(request, pk)
    report = city_report_for(programme, city=chosen["city"], start=chosen["start"], end=chosen["end"])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_csv_rows(report))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    city = chosen["city"].slug if chosen["city"] else "all"
    name = f"city-report-{programme.slug}-{city}-{chosen['start']:%Y%m%d}-{chosen['end']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report_home(request):
    """The programmes whose city report this person may open (404 for anyone with none)."""
    programmes = [
        (programme, is_organiser_of(request.user, programme))
        for programme in programmes_reportable_by(request.user)
    ]
    if not programmes:
        raise Http404
    return render(request, "tourism/report_home.html", {"programmes": programmes})
