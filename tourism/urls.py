from django.urls import include, path

app_name = "tourism"

urlpatterns: list = [
    # The city report, settlement, fraud flags and the merchant home (their own module).
    path("", include("tourism.urls_reports")),
]
