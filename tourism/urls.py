from django.urls import include, path

from tourism.views import counter, merchants, organiser, public, tills, wallet

app_name = "tourism"

urlpatterns = [
    # Public offers
    path("offers/", public.offer_list, name="offers"),
    path("offers/near/<slug:slug>/", public.offers_near_venue, name="offers-near-venue"),
    path("merchants/terms/", public.merchant_terms, name="merchant-terms"),
    # The spectator's stubs (by the ticket's public id)
    path("stubs/", wallet.stub_wallet, name="stub-wallet"),
    path("stubs/<uuid:public_id>/", wallet.stub_detail, name="stub-detail"),
    path("stubs/<uuid:public_id>/code.png", wallet.stub_qr, name="stub-qr"),
    # Merchants
    path("merchants/", merchants.merchant_list, name="merchant-list"),
    path("merchants/apply/", merchants.merchant_apply, name="merchant-apply"),
    path("merchants/<int:pk>/", merchants.merchant_detail, name="merchant-detail"),
    path("merchants/<int:pk>/stores/new/", merchants.store_create, name="store-create"),
    path("merchants/<int:pk>/staff/invite/", merchants.staff_invite, name="staff-invite"),
    path("merchants/<int:pk>/staff/<int:membership_pk>/remove/", merchants.staff_remove, name="staff-remove"),
    path("merchants/<int:pk>/offers/new/", merchants.offer_new, name="offer-create"),
    path("offers/<int:pk>/edit/", merchants.offer_edit, name="offer-edit"),
    path("merchants/<int:pk>/tills/", tills.till_list, name="tills"),
    path("merchants/<int:pk>/tills/<int:till_pk>/revoke/", tills.till_revoke_confirm, name="till-revoke"),
    path("merchants/invitations/<str:token>/", merchants.staff_accept, name="staff-accept"),
    # The counter
    path("counter/<int:pk>/", counter.counter, name="counter"),
    path("counter/<int:pk>/redemptions/", counter.counter_redemptions, name="counter-redemptions"),
    path("counter/<int:pk>/reverse/", counter.counter_reverse, name="counter-reverse"),
    # Organisers
    path(
        "organiser/tourism/programmes/<int:pk>/merchants/",
        organiser.merchants_review,
        name="organiser-merchants",
    ),
    path(
        "organiser/tourism/merchants/<int:pk>/decision/",
        organiser.merchant_decision,
        name="organiser-merchant-decision",
    ),
    path(
        "organiser/tourism/offers/<int:pk>/decision/",
        organiser.offer_decision,
        name="organiser-offer-decision",
    ),
    # The city report, settlement, fraud flags and the merchant home (their own module).
    path("", include("tourism.urls_reports")),
]
