from django.urls import path

from ticketing.views import orders, organiser, shop, webhooks

app_name = "ticketing"

urlpatterns = [
    # Sales (t1)
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
]
