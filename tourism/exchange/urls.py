from django.urls import path

from tourism.exchange import views

app_name = "exchange"

urlpatterns = [
    path("exchange/delegations/<int:pk>/itinerary/", views.itinerary, name="itinerary"),
    path("exchange/delegations/<int:pk>/itinerary/day-sheet.pdf", views.itinerary_pdf, name="itinerary-pdf"),
    path("exchange/delegations/<int:pk>/itinerary.ics", views.itinerary_ics, name="itinerary-ics"),
    path("exchange/delegations/<int:pk>/segments/new/", views.segment_create, name="segment-create"),
    path("exchange/delegations/<int:pk>/schedule-import/", views.schedule_import, name="schedule-import"),
    path("exchange/delegations/<int:pk>/experiences/", views.experience_list, name="experiences"),
    path("exchange/delegations/<int:pk>/slots/<int:slot_pk>/book/", views.slot_book, name="slot-book"),
    path("exchange/delegations/<int:pk>/chaperones/", views.chaperones, name="chaperones"),
    path("exchange/delegations/<int:pk>/handover/", views.handover, name="handover"),
    path("exchange/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("exchange/bookings/<int:pk>/accept/", views.booking_accept, name="booking-accept"),
    path("exchange/segments/<int:pk>/", views.segment_detail, name="segment-detail"),
    path("exchange/segments/<int:pk>/confirm/", views.segment_confirm, name="segment-confirm"),
    path("exchange/segments/<int:pk>/rollcall/", views.rollcall_open, name="rollcall-open"),
    path("exchange/rollcalls/<int:pk>/", views.rollcall_detail, name="rollcall-detail"),
    path("exchange/rollcalls/<int:pk>/scanner/", views.rollcall_scanner, name="rollcall-scanner"),
    path("exchange/rollcalls/<int:pk>/scan/", views.rollcall_scan, name="rollcall-scan"),
    path("exchange/rollcalls/<int:pk>/annul/", views.rollcall_annul, name="rollcall-annul"),
    path("exchange/rollcalls/<int:pk>/ticks/", views.rollcall_upload, name="rollcall-upload"),
    path("exchange/rollcalls/<int:pk>/close/", views.rollcall_close, name="rollcall-close"),
    path(
        "exchange/athletes/<int:pk>/guardians/<int:guardian_pk>/link/",
        views.guardian_link_send,
        name="guardian-link-send",
    ),
    path("exchange/guardian/<str:token>/", views.guardian, name="guardian"),
    path("exchange/programmes/<int:pk>/", views.organiser, name="organiser"),
]
