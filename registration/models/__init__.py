"""Registration models, split by sub-domain. Import from `registration.models`."""

from registration.models.accounts import *  # noqa: F403
from registration.models.accreditation import *  # noqa: F403
from registration.models.athletes import *  # noqa: F403
from registration.models.attestation import *  # noqa: F403
from registration.models.delegations import *  # noqa: F403
from registration.models.entries import *  # noqa: F403
from registration.models.fees import *  # noqa: F403
from registration.models.paperwork import *  # noqa: F403
from registration.models.workflow import *  # noqa: F403
