"""URLs of the city report, settlement, fraud flags and the merchant home (included by tourism/urls.py
in the "tourism" namespace; every one is listed in config/routes.py)."""

from django.urls import path

from tourism.views import fraud, merchant_home, reports, settlement

MONTH = "merchants/<int:pk>/settlement/<int:year>/<int:month>/"

urlpatterns = [
    path("stubs/report/", reports.report_home, name="report-home"),
    path("stubs/report/<int:pk>/", reports.city_report, name="city-report"),
    path("stubs/report/<int:pk>/csv/", reports.city_report_csv, name="city-report-csv"),
    path("stubs/settlement/<int:pk>/", settlement.settlement_list, name="settlement-list"),
    path(MONTH, settlement.statement_detail, name="statement-detail"),
    path(MONTH + "pdf/", settlement.statement_pdf_view, name="statement-pdf"),
    path(MONTH + "csv/", settlement.statement_csv_view, name="statement-csv"),
    path(MONTH + "confirm/", settlement.statement_confirm, name="statement-confirm"),
    path("stubs/fraud/<int:pk>/", fraud.fraud_flags, name="fraud-flags"),
    path("stubs/fraud/<int:pk>/check/", fraud.fraud_refresh, name="fraud-refresh"),
    path("stubs/fraud/flags/<int:pk>/<slug:action>/", fraud.fraud_flag_act, name="fraud-flag-act"),
    path("merchant/", merchant_home.merchant_home, name="merchant-home"),
    path("merchant/<int:pk>/", merchant_home.merchant_dashboard, name="merchant-dashboard"),
]
