"""Checks on an arriving Office file before any parser sees it: size, zip sanity, no DTDs."""

from __future__ import annotations

import zipfile
from pathlib import Path

from planstudio.importers.report import ImportRefused

# A 4,000-step district plan's Word file is about 3 MB; a spreadsheet of action steps less.
MAX_FILE_BYTES = 100 * 1024 * 1024
# What all the parts may expand to, and how far one part may expand: a zip bomb is refused
# from its directory, before a byte of it is inflated.
MAX_EXPANDED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_PARTS = 10_000
# The DTD is where entity tricks (billion laughs, external entities) live; Office never writes one.
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_SCAN_CHUNK = 1024 * 1024


def check_size(path: Path) -> None:
    if not path.is_file():
        raise ImportRefused(f"{path} does not exist or is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"{path.name} is {size // (1024 * 1024)} MB, more than any plan "
            f"({MAX_FILE_BYTES // (1024 * 1024)} MB); nothing was imported"
        )


def check_office_zip(path: Path, kind: str, main_part: str) -> None:
    """Refuse a file that is not a sound Office zip whose `main_part` exists; read nothing else."""
    check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise ImportRefused(f"{path.name} holds {len(infos)} parts; not a {kind}")
            names = {info.filename for info in infos}
            if main_part not in names:
                raise ImportRefused(f"{path.name} is a zip file but not a {kind}")
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_EXPANDED_BYTES or (
                    info.file_size > 1024 * 1024 and ratio > MAX_RATIO
                ):
                    raise ImportRefused(
                        f"{path.name} expands far beyond its size (a zip bomb?); "
                        "nothing was imported"
                    )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _refuse_dtd(archive, info, path)
    except zipfile.BadZipFile:
        raise ImportRefused(
            f"{path.name} is not a {kind} (not a zip file, or a damaged one)"
        ) from None
    except (OSError, RuntimeError, NotImplementedError, EOFError) as error:
        # RuntimeError: encrypted parts; NotImplementedError: a compression Office never uses.
        raise ImportRefused(f"{path.name} cannot be read as a {kind} ({error})") from None


def _refuse_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(_SCAN_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                raise ImportRefused(
                    f"{path.name}: {info.filename} declares a DTD, which Office never writes "
                    "(an XML entity trick?); nothing was imported"
                )
            tail = chunk[-16:]
