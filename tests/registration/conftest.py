"""Registration tests write private files (photos, badge sheets) into a temporary folder each."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
