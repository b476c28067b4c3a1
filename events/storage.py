"""Private file storage: files that hold personal data (badge sheets, athletes' photos) live here,
never under MEDIA_ROOT, under random names, and leave only through a view that checks the role.

`STORAGES["private"]` picks the backend: by default `PrivateFileSystemStorage` at
`PRIVATE_MEDIA_ROOT`; an S3-compatible backend works the same (private ACL, no public URL) because
the code reads and writes through `private_storage()` only and never asks a file for its URL.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    """Local disk outside MEDIA_ROOT. It has no URL: a private file is streamed by a view."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("A private file has no public URL; serve it through a view that checks the role.")


def private_storage() -> Storage:
    """The storage for personal data (a callable, so settings and tests can swap the backend)."""
    return storages["private"]


@deconstructible(path="events.storage.PrivateUploadTo")
class PrivateUploadTo:
    """An `upload_to` that keeps only the file's extension and gives the file a random name in
    `folder`, so no name can be guessed or tells whose file it is."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()[:8]
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)
