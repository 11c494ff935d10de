"""A document's files, one per UN language, uploaded by the organiser. The type is read from
the content (a PDF's header, a Word document's ZIP entries), never trusted from the name; the
size is bounded. Files live under the instance folder (PLENARY_DOCUMENTS_DIR) by a random name,
so a user's file name never becomes a path; the database keeps only what describes them:
a meeting's papers can run to hundreds of megabytes, which would bloat every backup and
every query that loads a document row. The rules flush and never commit.
"""

import hashlib
import io
import os
import secrets
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.errors import MeetingError
from app.extensions import db
from app.meetings.models import Document, DocumentFile

# The six official languages, the codes the masthead uses.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# Larger than any UN document we know (a congress report with annexes runs to a few MB).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
}


def detect_kind(data: bytes) -> str | None:
    """What the bytes are: "pdf", "docx", or None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def _declared_kind(filename: str) -> str | None:
    suffix = Path(filename or "").suffix.lower()
    return next((kind for kind, (_type, ext) in KINDS.items() if ext == suffix), None)


def store_file(
    document: Document, *, language: str, filename: str, data: bytes, folder: Path
) -> DocumentFile:
    """Keep `data` as the document's file in `language`, replacing one it had; refused when
    it is empty, too large, or not the type its name declares (PDF or Word)."""
    if language not in UN_LANGUAGES:
        raise MeetingError(_("Choose one of the six UN languages."), "language")
    if not data:
        raise MeetingError(_("The file is empty."), "file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise MeetingError(
            _("A file holds at most %(n)d MB.", n=MAX_DOCUMENT_BYTES // (1024 * 1024)), "file"
        )
    declared = _declared_kind(filename)
    if declared is None:
        raise MeetingError(_("Upload a PDF (.pdf) or a Word document (.docx)."), "file")
    kind = detect_kind(data)
    if kind != declared:
        raise MeetingError(
            _(
                "The file is called .%(declared)s but its content is not a %(name)s.",
                declared=declared,
                name=_("PDF") if declared == "pdf" else _("Word document"),
            ),
            "file",
        )
    stored_name = f"{document.meeting_id}-{secrets.token_hex(16)}.{kind}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / stored_name
    # Written beside its final name and renamed, so no reader ever sees half a file.
    partial = folder / f".{stored_name}.part"
    partial.write_bytes(data)
    os.replace(partial, path)
    existing = next((f for f in document.files if f.language == language), None)
    if existing is not None:
        document.files.remove(existing)
        db.session.flush()
    record = DocumentFile(
        language=language,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        stored_name=stored_name,
    )
    document.files.append(record)
    db.session.flush()
    return record


def documents_folder() -> Path:
    """Where documents' files live: PLENARY_DOCUMENTS_DIR, else instance/documents."""
    configured = current_app.config.get("PLENARY_DOCUMENTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "documents"


def path_of(record: DocumentFile, folder: Path) -> Path:
    """Where a file lives; its stored name is Plenary's own, never a user's."""
    return folder / record.stored_name


def download_name(document: Document, record: DocumentFile) -> str:
    """The file name a reader gets: "A_CONF.234_RPM.1_L.1-EN.pdf"."""
    symbol = "".join(c if c.isalnum() or c in ".-" else "_" for c in document.symbol)
    return f"{symbol}-{record.language.upper()}{KINDS[record.kind][1]}"


def content_type(record: DocumentFile) -> str:
    return KINDS[record.kind][0]
