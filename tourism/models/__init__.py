"""Tourism models, split by sub-domain: merchants and stores, offers, stubs and redemptions."""

from tourism.models.merchants import *  # noqa: F403
from tourism.models.offers import *  # noqa: F403
from tourism.models.oversight import *  # noqa: F403
from tourism.models.settlement import *  # noqa: F403
from tourism.models.stubs import *  # noqa: F403
from tourism.models.tills import *  # noqa: F403
