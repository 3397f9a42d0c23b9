"""Where course documents are kept: a storage that no web server maps to a URL.

Documents are downloaded only through the checked view (enrolment.views.serve_document), so the files must
not sit under MEDIA_ROOT, which `make run` (DEBUG) and many proxies serve as /media/. The storage is the
"documents" alias of Django's STORAGES (see atmp/settings/base.py): a local folder by default, or an
S3-compatible bucket or anything else from the environment.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files in DOCUMENTS_ROOT (unless a location is given) that have no URL of their own."""

    # Read on every use (not cached), so tests can point DOCUMENTS_ROOT at a temporary folder.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.DOCUMENTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        # Wagtail then links to its serve view, where access is checked.
        raise NotImplementedError("Private documents have no URL; they are served by a view that checks access.")


def document_storage():
    """The storage of the documents' files (a callable, so migrations do not freeze the configuration)."""
    return storages["documents"]
