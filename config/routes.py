"""The route table: every URL pattern, by name, with who may reach it. No URL escapes it.

tests/config/test_routes.py walks the URL resolver and fails on any pattern missing here (or listed
here but gone), and, for every pattern that takes an object, builds the objects and tries every other
role, expecting 404 (or the login redirect), never the object. To add a URL: add its namespaced name
to ROUTES with its Access, and `obj` naming the kind of object its arguments point at (the kinds the
test builds are the keys of `kwargs` in tests/config/test_routes.py's world fixture), and `pays=True`
if the page loads Stripe.js.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Access(StrEnum):
    ANONYMOUS = "anyone, logged in or not"
    SPECTATOR = "any logged-in person, on their own data only"
    OWNER = "the person who owns the object (buyer of the order, holder of the ticket, cart owner)"
    MEMBER = "an accepted member of the object's delegation (manager, coach, chaperone)"
    MANAGER = "the manager of the object's delegation"
    ORGANISER = "an organiser of the object's programme with two-factor passed in this session"
    GATE_STAFF = "gate staff of the event or venue (and organisers of its programme)"
    DEVICE = "a gate device's bearer token"
    WEBHOOK = "Stripe's webhook signature"
    MERCHANT_STAFF = "staff of the object's merchant (counter staff bound to a store: that store only)"
    MERCHANT_OWNER = "the owner of the object's merchant"
    LINK = "whoever holds the unguessable link (an invitation or consent token in the URL)"
    ADMIN = "staff with two-factor passed (the admin checks each object: events.admin.ScopedAdmin)"
    ALLAUTH = "allauth's own login, sign-up and two-factor flow (its rate limits apply)"
    REPORT_VIEWER = "an organiser of the object's programme with two-factor passed, or a city bureau viewer of it (their city only)"
    STATEMENT_READER = (
        "the owner of the object's merchant, or an organiser of its programme with two-factor passed"
    )


@dataclass(frozen=True)
class Route:
    access: Access
    obj: str | None = None  # the kind of object the URL's arguments name (None: no object)
    pays: bool = False  # the page loads Stripe.js: its Content-Security-Policy allows Stripe (config/csp.py)


# Whole namespaces or path prefixes whose own views carry their policy.
PREFIXES: dict[str, Access] = {
    "admin/": Access.ADMIN,
    "accounts/": Access.ALLAUTH,
    "^media/": Access.ANONYMOUS,  # development only (DEBUG): production serves no media from the app
}

ROUTES: dict[str, Route] = {
    # config
    "healthz": Route(Access.ANONYMOUS),
    "favicon": Route(Access.ANONYMOUS),
    "set_language": Route(Access.ANONYMOUS),
    "api:openapi-json": Route(Access.ANONYMOUS),
    "api:openapi-view": Route(Access.ANONYMOUS),
    "api:api-root": Route(Access.ANONYMOUS),
    "api:scan": Route(Access.DEVICE),
    "api-lean-scan": Route(Access.DEVICE),  # api:scan's happy path (events/lean_routes.py)
    "api:bundle": Route(Access.DEVICE),
    "api:upload": Route(Access.DEVICE),
    "api:annul": Route(Access.DEVICE),
    # tourism's counter API: the store is in the body or query, checked per request (404 otherwise)
    "api:counter-prepare": Route(Access.MERCHANT_STAFF),
    "api:counter-consume": Route(Access.MERCHANT_STAFF),
    # The same two for a till's bearer token (events/lean_routes.py); anything else goes to them.
    "api-lean-counter-prepare": Route(Access.MERCHANT_STAFF),
    "api-lean-counter-consume": Route(Access.MERCHANT_STAFF),
    "api:counter-reverse": Route(Access.MERCHANT_STAFF),
    "api:counter-redemptions": Route(Access.MERCHANT_STAFF),
    # events
    "events:home": Route(Access.ANONYMOUS),
    "events:event-list": Route(Access.ANONYMOUS),
    "events:event-detail": Route(Access.ANONYMOUS, "public_event"),
    "events:venue-detail": Route(Access.ANONYMOUS, "public_venue"),
    "events:organiser-home": Route(Access.ORGANISER),
    "events:competition-pools": Route(Access.ANONYMOUS, "public_event"),
    "events:competition-tableau": Route(Access.ANONYMOUS, "public_event"),
    "events:organiser-competition": Route(Access.ORGANISER, "event"),
    "events:organiser-competitors-refresh": Route(Access.ORGANISER, "event"),
    "events:organiser-pools-generate": Route(Access.ORGANISER, "event"),
    "events:organiser-tableau-generate": Route(Access.ORGANISER, "event"),
    "events:organiser-result": Route(Access.ORGANISER, "match"),
    "events:organiser-relays": Route(Access.ORGANISER, "team_match"),
    "events:organiser-lineup": Route(Access.ORGANISER, "team_match"),
    "events:organiser-relays-pdf": Route(Access.ORGANISER, "team_match"),
    "events:organiser-team-generate": Route(Access.ORGANISER, "event"),
    "events:organiser-games-generate": Route(Access.ORGANISER, "event"),
    "events:organiser-races-generate": Route(Access.ORGANISER, "event"),
    "events:competition-pools-pdf": Route(Access.ANONYMOUS, "public_event"),
    "events:competition-tableau-pdf": Route(Access.ANONYMOUS, "public_event"),
    "events:competition-start-list-pdf": Route(Access.ANONYMOUS, "public_event"),
    "events:results-standings": Route(Access.ANONYMOUS, "public_event"),
    "events:results-bracket": Route(Access.ANONYMOUS, "public_event"),
    "events:results-standings-pdf": Route(Access.ANONYMOUS, "public_event"),
    "events:results-bracket-pdf": Route(Access.ANONYMOUS, "public_event"),
    "events:results-races": Route(Access.ANONYMOUS, "public_event"),
    "events:results-medals": Route(Access.ANONYMOUS, "public_programme"),
    "events:referee": Route(Access.LINK, "token"),
    "events:referee-revoke": Route(Access.ORGANISER, "event"),
    "events:event-schedule": Route(Access.ANONYMOUS, "public_event"),
    "events:venue-schedule": Route(Access.ANONYMOUS, "public_venue"),
    "events:venue-ical": Route(Access.ANONYMOUS, "public_venue"),
    "events:city-schedule": Route(Access.ANONYMOUS, "public_city"),
    "events:delegation-schedule": Route(Access.ANONYMOUS, "public_delegation"),
    "events:delegation-ical": Route(Access.ANONYMOUS, "public_delegation"),
    "events:competitor-schedule": Route(Access.ANONYMOUS, "public_competitor"),
    "events:competitor-ical": Route(Access.ANONYMOUS, "public_competitor"),
    "events:schedule-day-pdf": Route(Access.ANONYMOUS, "public_programme_day"),
    "events:schedule-grid": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-move": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-solve": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-job": Route(Access.ORGANISER, "solve_job"),
    "events:schedule-job-status": Route(Access.ORGANISER, "solve_job"),
    "events:schedule-publish": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-versions": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-diff": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-delay": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-plan-create": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-plan-switch": Route(Access.ORGANISER, "contingency_plan"),
    "events:schedule-travel": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-age-bands": Route(Access.ORGANISER, "programme_slug"),
    "events:schedule-age-band-edit": Route(Access.ORGANISER, "age_band_limit"),
    "events:schedule-age-band-delete": Route(Access.ORGANISER, "age_band_limit"),
    # ticketing: shop and orders
    "ticketing:event-tickets": Route(Access.ANONYMOUS, "public_event"),
    "ticketing:ballot-detail": Route(Access.ANONYMOUS, "public_ballot"),
    "ticketing:cart": Route(Access.SPECTATOR),
    "ticketing:cart-add": Route(Access.SPECTATOR),
    "ticketing:cart-remove": Route(Access.OWNER, "cart_item"),
    "ticketing:checkout": Route(Access.SPECTATOR),
    "ticketing:stripe-webhook": Route(Access.WEBHOOK),
    "ticketing:order-list": Route(Access.SPECTATOR),
    "ticketing:order-detail": Route(Access.OWNER, "order"),
    "ticketing:order-pay": Route(Access.OWNER, "order", pays=True),
    "ticketing:order-pay-demo": Route(Access.OWNER, "order"),
    "ticketing:order-cancel": Route(Access.OWNER, "order"),
    "ticketing:wallet": Route(Access.SPECTATOR),
    "ticketing:ticket-detail": Route(Access.OWNER, "ticket"),
    "ticketing:ticket-qr": Route(Access.OWNER, "ticket"),
    "ticketing:ticket-pdf": Route(Access.OWNER, "ticket"),
    "ticketing:order-tickets-pdf": Route(Access.OWNER, "order"),
    # ticketing: organisers
    "ticketing:organiser-sales": Route(Access.ORGANISER, "event"),
    "ticketing:organiser-orders": Route(Access.ORGANISER, "programme_slug"),
    "ticketing:organiser-order": Route(Access.ORGANISER, "order"),
    "ticketing:organiser-order-mark-paid": Route(Access.ORGANISER, "order"),
    "ticketing:organiser-order-refund": Route(Access.ORGANISER, "order"),
    "ticketing:organiser-session-cancel": Route(Access.ORGANISER, "session"),
    "ticketing:organiser-ballot-draw": Route(Access.ORGANISER, "ballot"),
    "ticketing:setup": Route(Access.ORGANISER, "event"),
    "ticketing:setup-ticket-type-create": Route(Access.ORGANISER, "session"),
    "ticketing:setup-ticket-type-edit": Route(Access.ORGANISER, "ticket_type"),
    "ticketing:setup-ticket-type-delete": Route(Access.ORGANISER, "ticket_type"),
    "ticketing:setup-quota-create": Route(Access.ORGANISER, "session"),
    "ticketing:setup-quota-edit": Route(Access.ORGANISER, "quota"),
    "ticketing:setup-quota-delete": Route(Access.ORGANISER, "quota"),
    "ticketing:setup-section-create": Route(Access.ORGANISER, "session"),
    "ticketing:setup-section-edit": Route(Access.ORGANISER, "section"),
    "ticketing:setup-section-delete": Route(Access.ORGANISER, "section"),
    "ticketing:setup-ballot-create": Route(Access.ORGANISER, "ticket_type"),
    "ticketing:setup-ballot-edit": Route(Access.ORGANISER, "ballot"),
    "ticketing:setup-ballot-delete": Route(Access.ORGANISER, "ballot"),
    # ticketing: gates (the event is a query or body parameter, checked by ticketing.scan_event)
    "ticketing:gate": Route(Access.GATE_STAFF),
    "ticketing:gate-scan": Route(Access.GATE_STAFF),
    "ticketing:gate-annul": Route(Access.GATE_STAFF),
    "ticketing:gate-flow": Route(Access.ORGANISER, "event"),
    "ticketing:gate-flow-data": Route(Access.ORGANISER, "event"),
    "ticketing:gate-conflicts": Route(Access.ORGANISER, "event"),
    "ticketing:gate-export": Route(Access.ORGANISER, "event"),
    # registration: delegations (managers and members)
    "registration:delegation-list": Route(Access.SPECTATOR),
    "registration:delegation-create": Route(Access.SPECTATOR),
    "registration:delegation-detail": Route(Access.MEMBER, "delegation"),
    "registration:membership-invite": Route(Access.MANAGER, "delegation"),
    "registration:team-create": Route(Access.MANAGER, "delegation"),
    "registration:athlete-list": Route(Access.MEMBER, "delegation"),
    "registration:athlete-create": Route(Access.MANAGER, "delegation"),
    "registration:athlete-import": Route(Access.MANAGER, "delegation"),
    "registration:athlete-import-template": Route(Access.MANAGER, "delegation_template"),
    "registration:invitation-accept": Route(Access.LINK, "token"),
    "registration:athlete-detail": Route(Access.MEMBER, "athlete"),
    "registration:athlete-photo": Route(Access.MEMBER, "athlete"),
    "registration:athlete-edit": Route(Access.MANAGER, "athlete"),
    "registration:athlete-paperwork": Route(Access.MANAGER, "athlete"),
    "registration:consent-withdraw": Route(Access.MANAGER, "athlete_consent"),
    "registration:consent-link-send": Route(Access.MANAGER, "athlete_guardian"),
    "registration:consent-link": Route(Access.LINK, "token"),
    "registration:consent-rules": Route(Access.ANONYMOUS),
    "registration:team-detail": Route(Access.MEMBER, "team"),
    "registration:entry-create": Route(Access.MANAGER, "team"),
    "registration:team-workflow": Route(Access.MEMBER, "team"),
    "registration:team-submit": Route(Access.MANAGER, "team"),
    "registration:team-fee-pay": Route(Access.MANAGER, "team"),
    "registration:entry-withdraw": Route(Access.MANAGER, "entry"),
    "registration:substitution-create": Route(Access.MANAGER, "entry"),
    "registration:waitlist-answer": Route(Access.MANAGER, "entry_answer"),
    "registration:badge-list": Route(Access.MANAGER, "delegation"),
    "registration:badge-sheet-create": Route(Access.MANAGER, "delegation"),
    "registration:badge-sheet": Route(Access.OWNER, "badge_sheet"),
    "registration:badge-sheet-status": Route(Access.OWNER, "badge_sheet"),
    "registration:badge-sheet-download": Route(Access.OWNER, "badge_sheet"),
    # registration: organisers
    "registration:document-reveal": Route(Access.ORGANISER, "athlete"),
    "registration:organiser-registration": Route(Access.ORGANISER),
    "registration:eligibility": Route(Access.ORGANISER, "event"),
    "registration:review-queue": Route(Access.ORGANISER, "programme"),
    "registration:review-bulk-approve": Route(Access.ORGANISER, "programme"),
    "registration:delegation-overview": Route(Access.ORGANISER, "programme"),
    "registration:insurance-export": Route(Access.ORGANISER, "programme"),
    "registration:substitution-list": Route(Access.ORGANISER, "programme"),
    "registration:entry-review": Route(Access.ORGANISER, "entry"),
    "registration:entry-approve": Route(Access.ORGANISER, "entry"),
    "registration:entry-attest": Route(Access.ORGANISER, "entry"),
    "registration:entry-request-changes": Route(Access.ORGANISER, "entry"),
    "registration:substitution-decide": Route(Access.ORGANISER, "substitution"),
    # exchange programme (tourism/exchange): itineraries, experiences, chaperones, roll-calls, handover
    "exchange:itinerary": Route(Access.MEMBER, "delegation"),
    "exchange:itinerary-pdf": Route(Access.MEMBER, "delegation"),
    "exchange:itinerary-ics": Route(Access.MEMBER, "delegation"),
    "exchange:segment-create": Route(Access.MANAGER, "delegation"),
    "exchange:schedule-import": Route(Access.MANAGER, "delegation"),
    "exchange:experiences": Route(Access.MEMBER, "delegation"),
    "exchange:slot-book": Route(Access.MANAGER, "delegation_slot"),
    "exchange:chaperones": Route(Access.MANAGER, "delegation"),
    "exchange:handover": Route(Access.MEMBER, "delegation"),
    "exchange:booking-cancel": Route(Access.MANAGER, "exchange_booking"),
    "exchange:booking-accept": Route(Access.MANAGER, "exchange_booking"),
    "exchange:segment-detail": Route(Access.MEMBER, "segment"),
    "exchange:segment-confirm": Route(Access.MANAGER, "segment"),
    "exchange:rollcall-open": Route(Access.MEMBER, "segment"),
    "exchange:rollcall-detail": Route(Access.MEMBER, "rollcall"),
    "exchange:rollcall-scanner": Route(Access.MEMBER, "rollcall"),
    "exchange:rollcall-scan": Route(Access.MEMBER, "rollcall"),
    "exchange:rollcall-annul": Route(Access.MEMBER, "rollcall"),
    "exchange:rollcall-upload": Route(Access.MEMBER, "rollcall"),
    "exchange:rollcall-close": Route(Access.MEMBER, "rollcall"),
    "exchange:guardian-link-send": Route(Access.MANAGER, "athlete_guardian"),
    "exchange:guardian": Route(Access.LINK, "token"),
    "exchange:organiser": Route(Access.ORGANISER, "programme"),
    # tourism: public offers, the spectator's stubs
    "tourism:offers": Route(Access.ANONYMOUS),
    "tourism:offers-near-venue": Route(Access.ANONYMOUS, "public_venue"),
    "tourism:merchant-terms": Route(Access.ANONYMOUS),
    "tourism:stub-wallet": Route(Access.SPECTATOR),
    "tourism:stub-detail": Route(Access.OWNER, "stub"),
    "tourism:stub-qr": Route(Access.OWNER, "stub"),
    # tourism: merchants and their counters
    "tourism:merchant-list": Route(Access.SPECTATOR),
    "tourism:merchant-apply": Route(Access.SPECTATOR),
    "tourism:merchant-detail": Route(Access.MERCHANT_STAFF, "merchant"),
    "tourism:store-create": Route(Access.MERCHANT_OWNER, "merchant"),
    "tourism:staff-invite": Route(Access.MERCHANT_OWNER, "merchant"),
    "tourism:staff-remove": Route(Access.MERCHANT_OWNER, "merchant_member"),
    "tourism:offer-create": Route(Access.MERCHANT_OWNER, "merchant"),
    "tourism:offer-edit": Route(Access.MERCHANT_OWNER, "offer"),
    "tourism:tills": Route(Access.MERCHANT_OWNER, "merchant"),
    "tourism:till-revoke": Route(Access.MERCHANT_OWNER, "merchant_till"),
    "tourism:staff-accept": Route(Access.LINK, "token"),
    "tourism:counter": Route(Access.MERCHANT_STAFF, "store"),
    "tourism:counter-redemptions": Route(Access.MERCHANT_STAFF, "store"),
    "tourism:counter-reverse": Route(Access.MERCHANT_STAFF, "store"),
    # tourism: organisers
    "tourism:organiser-merchants": Route(Access.ORGANISER, "programme"),
    "tourism:organiser-merchant-decision": Route(Access.ORGANISER, "merchant"),
    "tourism:organiser-offer-decision": Route(Access.ORGANISER, "offer"),
    # tourism: city report, settlement, fraud flags, merchant home
    "tourism:report-home": Route(Access.REPORT_VIEWER),
    "tourism:city-report": Route(Access.REPORT_VIEWER, "programme"),
    "tourism:city-report-csv": Route(Access.REPORT_VIEWER, "programme"),
    "tourism:settlement-list": Route(Access.ORGANISER, "programme"),
    "tourism:statement-detail": Route(Access.STATEMENT_READER, "merchant_month"),
    "tourism:statement-pdf": Route(Access.STATEMENT_READER, "merchant_month"),
    "tourism:statement-csv": Route(Access.STATEMENT_READER, "merchant_month"),
    "tourism:statement-confirm": Route(Access.ORGANISER, "merchant_month"),
    "tourism:fraud-flags": Route(Access.ORGANISER, "programme"),
    "tourism:fraud-refresh": Route(Access.ORGANISER, "programme"),
    "tourism:fraud-flag-act": Route(Access.ORGANISER, "fraud_flag"),
    "tourism:merchant-home": Route(Access.MERCHANT_STAFF),
    "tourism:merchant-dashboard": Route(Access.MERCHANT_STAFF, "merchant"),
}


def route_for(name: str | None, route: str) -> Route | None:
    """The policy of a URL pattern, by its namespaced name or by a listed prefix of its route."""
    for prefix, access in PREFIXES.items():
        if route.startswith(prefix):
            return Route(access)
    return ROUTES.get(name or "")
