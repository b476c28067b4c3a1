"""events' forms: the catalogue (programmes, venues, events, sessions) and competitions."""
