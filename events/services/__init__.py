"""events' services: the catalogue (programmes, venues, events, sessions) and competitions."""
