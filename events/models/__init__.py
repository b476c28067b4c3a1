"""Events models, split by sub-domain: the catalogue (programmes, cities, venues, events, sessions) and
competitions (stages, competitors, matches, result changes) and schedules (placements, versions, rules)."""

from events.models.catalogue import *  # noqa: F403
from events.models.competition import *  # noqa: F403
from events.models.schedule import *  # noqa: F403
