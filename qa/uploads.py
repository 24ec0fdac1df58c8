"""Uploads, for every way in (the UI's Corpus tab, `POST /api/articles`): where uploaded
files go and under which name, their size cap, and ingesting one of them.

Browsers and API clients choose the file name, so it is untrusted: it is reduced to a plain
base name of safe characters, and the final path is checked to sit inside the index's data
folder. A file that fails to ingest is not kept.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.config import Settings
from qa.corpus import SUPPORTED as ALLOWED_SUFFIXES
from qa.types import IngestReport

if TYPE_CHECKING:  # pragma: no cover
    from qa.api import KnowledgeBase


class UploadRefused(ValueError):
    """The file is not stored; the message says why, in words for the user."""


def max_upload_bytes(settings: Settings | None = None) -> int:
    """Per-file limit: `Settings.ui_max_upload_mb` (env `QA_UI_MAX_UPLOAD_MB`, default 20)."""
    mb = (settings or Settings()).ui_max_upload_mb
    return max(1, int(mb * 1024 * 1024))


def safe_name(name: str) -> str:
    """A base name of `[A-Za-z0-9._-]` with an allowed suffix; refuses anything else.

    Directory parts (`../`, `a/b`, `C:\\x`) are dropped, so the name cannot climb out.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower() if suffix else ""
    if suffix not in ALLOWED_SUFFIXES:
        allowed = " ".join(ALLOWED_SUFFIXES)
        raise UploadRefused(f"unsupported file type {suffix or '(none)'}; allowed: {allowed}")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:120]
    if not stem:
        raise UploadRefused("the file name has no usable characters")
    return stem + suffix


def store_upload(
    src: str | os.PathLike[str], original_name: str, data_dir: Path, limit: int | None = None
) -> Path:
    """Copy one uploaded file into `data_dir` under a safe name and return the new path.

    `limit` is the size limit in bytes (default: `max_upload_bytes()` from the settings).
    """
    src = Path(src)
    size = src.stat().st_size
    limit = max_upload_bytes() if limit is None else limit
    if size > limit:
        raise UploadRefused(
            f"file is {size / 1048576:.1f} MB, over the {limit / 1048576:.0f} MB limit"
        )
    if size == 0:
        raise UploadRefused("file is empty")
    name = safe_name(original_name)
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    dest = (data_dir / name).resolve()
    if dest.parent != data_dir:  # belt and braces: safe_name already prevents this
        raise UploadRefused("file name points outside the data folder")
    # A private temporary name: two uploads of one name at once don't write the same file.
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=data_dir)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return dest


def data_dir(settings: Settings) -> Path:
    """The folder uploads are copied into: `<index>/data`."""
    return Path(settings.index).expanduser() / "data"


def ingest_result(rep: IngestReport) -> tuple[str, str]:
    """A one-word result and the details for one file's IngestReport."""
    details = rep.summary()
    if rep.duplicates:
        dup = ", ".join(f"{new} = {old}" for new, old in rep.duplicates.items())
        details += f"; duplicate content of: {dup}"
    if rep.failed:
        details += "; " + "; ".join(str(f) for f in rep.failed[:5])
        if len(rep.failed) > 5:
            details += f"; … {len(rep.failed) - 5} more"
    if rep.added:
        word = "added"
    elif rep.updated:
        word = "updated"
    elif rep.unchanged:
        word = "unchanged"
    elif rep.duplicates:
        word = "duplicate"
    elif rep.failed:
        word = "failed"
    else:
        word = "nothing found"
    if rep.failed and word != "failed":
        word += " (some records failed)"
    return word, details


# Results of `ingest_upload` after which the file is not kept.
NOT_KEPT = ("refused", "failed", "nothing found")


@dataclass
class Upload:
    """What became of one uploaded file: `result` is one word (added, updated, unchanged,
    duplicate, refused, failed, nothing found, …), `details` the words behind it."""

    name: str  # as the client sent it
    result: str
    details: str
    stored_as: str | None = None  # the sanitised name in the data folder, when kept
    report: IngestReport = field(default_factory=IngestReport)

    @property
    def ok(self) -> bool:
        return self.result not in NOT_KEPT

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "result": self.result,
            "details": self.details,
            "stored_as": self.stored_as,
            "report": self.report.to_dict(),
        }


def ingest_upload(kb: KnowledgeBase, src: str | os.PathLike[str], name: str) -> Upload:
    """Copy one uploaded file into the data folder under a safe name and ingest it.

    Refused files (type, size, name) are never stored; files that fail to ingest, or hold
    no article, are removed again, so the data folder keeps no junk.
    """
    try:
        dest = store_upload(src, name, data_dir(kb.settings), max_upload_bytes(kb.settings))
    except UploadRefused as exc:
        return Upload(name, "refused", str(exc))
    try:
        rep = kb.ingest([str(dest)], progress=False)
    except Exception as exc:
        dest.unlink(missing_ok=True)
        return Upload(name, "failed", str(exc) or repr(exc))
    word, details = ingest_result(rep)
    if word in NOT_KEPT:
        dest.unlink(missing_ok=True)
        return Upload(name, word, details, None, rep)
    return Upload(name, word, f"stored as {dest.name}; {details}", dest.name, rep)
