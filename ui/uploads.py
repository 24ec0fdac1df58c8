"""The UI's upload rules are the engine's (`qa.uploads`), shared with `POST /api/articles`;
re-exported here for the Corpus tab and for callers that imported them from the UI."""

from __future__ import annotations

from qa.uploads import (
    ALLOWED_SUFFIXES,
    UploadRefused,
    data_dir,
    ingest_result,
    ingest_upload,
    max_upload_bytes,
    safe_name,
    store_upload,
)

__all__ = [
    "ALLOWED_SUFFIXES",
    "UploadRefused",
    "data_dir",
    "ingest_result",
    "ingest_upload",
    "max_upload_bytes",
    "safe_name",
    "store_upload",
]
