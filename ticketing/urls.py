from django.urls import path

from ticketing.views import gate, orders, organiser, setup, shop, tickets, webhooks

app_name = "ticketing"

urlpatterns = [
    # Sales
    path("events/<slug:slug>/tickets/", shop.event_tickets, name="event-tickets"),
    path("tickets/ballot/<int:pk>/", shop.ballot_detail, name="ballot-detail"),
    path("cart/", shop.cart, name="cart"),
    path("cart/add/", shop.cart_add, name="cart-add"),
    path("cart/remove/<int:pk>/", shop.cart_remove, name="cart-remove"),
    path("checkout/", shop.checkout, name="checkout"),
    path("checkout/stripe/webhook/", webhooks.stripe_webhook, name="stripe-webhook"),
    path("orders/", orders.order_list, name="order-list"),
    path("orders/<str:code>/", orders.order_detail, name="order-detail"),
    path("orders/<str:code>/pay/", orders.order_pay, name="order-pay"),
    path("orders/<str:code>/pay/demo/", orders.order_pay_demo, name="order-pay-demo"),
    path("orders/<str:code>/cancel/", orders.order_cancel, name="order-cancel"),
    path("organiser/ticketing/events/<slug:slug>/sales/", organiser.sales, name="organiser-sales"),
    path("organiser/ticketing/programmes/<slug:slug>/orders/", organiser.orders, name="organiser-orders"),
    path("organiser/ticketing/orders/<str:code>/", organiser.order_detail, name="organiser-order"),
    path(
        "organiser/ticketing/orders/<str:code>/mark-paid/",
        organiser.order_mark_paid,
        name="organiser-order-mark-paid",
    ),
    path(
        "organiser/ticketing/orders/<str:code>/refund/", organiser.order_refund, name="organiser-order-refund"
    ),
    path(
        "organiser/ticketing/sessions/<int:pk>/cancel/",
        organiser.session_cancel,
        name="organiser-session-cancel",
    ),
    path("organiser/ticketing/ballots/<int:pk>/draw/", organiser.ballot_draw, name="organiser-ballot-draw"),
    # The organiser's set-up: ticket types, quotas, sections, ballots
    path("organiser/ticketing/events/<slug:slug>/setup/", setup.setup, name="setup"),
    path(
        "organiser/ticketing/sessions/<int:pk>/ticket-types/new/",
        setup.ticket_type_create,
        name="setup-ticket-type-create",
    ),
    path("organiser/ticketing/ticket-types/<int:pk>/", setup.ticket_type_edit, name="setup-ticket-type-edit"),
    path(
        "organiser/ticketing/ticket-types/<int:pk>/delete/",
        setup.ticket_type_delete,
        name="setup-ticket-type-delete",
    ),
    path("organiser/ticketing/sessions/<int:pk>/quotas/new/", setup.quota_create, name="setup-quota-create"),
    path("organiser/ticketing/quotas/<int:pk>/", setup.quota_edit, name="setup-quota-edit"),
    path("organiser/ticketing/quotas/<int:pk>/delete/", setup.quota_delete, name="setup-quota-delete"),
    path(
        "organiser/ticketing/sessions/<int:pk>/sections/new/",
        setup.section_create,
        name="setup-section-create",
    ),
    path("organiser/ticketing/sections/<int:pk>/", setup.section_edit, name="setup-section-edit"),
    path("organiser/ticketing/sections/<int:pk>/delete/", setup.section_delete, name="setup-section-delete"),
    path(
        "organiser/ticketing/ticket-types/<int:pk>/ballot/new/",
        setup.ballot_create,
        name="setup-ballot-create",
    ),
    path("organiser/ticketing/ballots/<int:pk>/edit/", setup.ballot_edit, name="setup-ballot-edit"),
    path("organiser/ticketing/ballots/<int:pk>/delete/", setup.ballot_delete, name="setup-ballot-delete"),
    # Tickets, gate check-in and the organiser's gate flow
    path("tickets/", tickets.wallet, name="wallet"),
    path("tickets/<uuid:public_id>/", tickets.ticket_detail, name="ticket-detail"),
    path("tickets/<uuid:public_id>/qr.png", tickets.ticket_qr, name="ticket-qr"),
    path("tickets/<uuid:public_id>/ticket.pdf", tickets.ticket_pdf, name="ticket-pdf"),
    path("tickets/orders/<str:code>/tickets.pdf", tickets.order_tickets_pdf, name="order-tickets-pdf"),
    path("gate/", gate.gate, name="gate"),
    path("gate/scan/", gate.gate_scan, name="gate-scan"),
    path("gate/annul/", gate.gate_annul, name="gate-annul"),
    path("organiser/ticketing/events/<slug:slug>/gates/", gate.gate_flow, name="gate-flow"),
    path(
        "organiser/ticketing/events/<slug:slug>/gates/flow.json", gate.gate_flow_data, name="gate-flow-data"
    ),
    path(
        "organiser/ticketing/events/<slug:slug>/gates/conflicts/", gate.gate_conflicts, name="gate-conflicts"
    ),
    path("organiser/ticketing/events/<slug:slug>/gates/checkins.csv", gate.gate_export, name="gate-export"),
]
