"""The ticket-stub economy: merchants, offers, stubs, redemptions and city reports."""
