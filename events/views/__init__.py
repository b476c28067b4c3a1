"""events' views: the catalogue (programmes, venues, events, sessions) and competitions."""
