"""events' selectors: the catalogue (programmes, venues, events, sessions) and competitions."""
