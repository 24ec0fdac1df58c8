"""Where uploaded files go and under which name: only into the index's data folder.

Browsers and API clients choose the file name, so it is untrusted: it is reduced to a plain
base name of safe characters, and the final path is checked to sit inside the folder.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from qa.config import Settings
from qa.corpus import SUPPORTED as ALLOWED_SUFFIXES


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
    tmp = dest.with_name(f".{name}.part")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)
    return dest
