"""Words the project translates itself where Django's own Chinese does not follow the house style.

Django's forms end every label with `_(":")`, which its Chinese catalogue leaves as the ASCII colon
("入口:"); config's catalogue (first in LOCALE_PATHS) makes it the full-width "：". Listed here so that
`python -m config.messages config` keeps the entry.
"""

from django.utils.translation import gettext_noop

LABEL_SUFFIX = gettext_noop(":")
