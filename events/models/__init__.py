"""Events models, split by sub-domain: the catalogue (programmes, cities, venues, events, sessions) and
competitions (stages, competitors, matches, result changes), schedules (placements, versions, rules)
and revoked referee links."""

from events.models.catalogue import *  # noqa: F403
from events.models.competition import *  # noqa: F403
from events.models.referee import *  # noqa: F403
from events.models.schedule import *  # noqa: F403
