"""Encrypted attachments: scanned documents and photos on a file (PDF, JPEG, PNG, TIFF).

Storage: inside the SQLCipher registry, never as a file.  An attachment is one ``attachments`` row
(title, original name, type, size, SHA-256) and its content split into ``attachment_chunks`` rows of
:data:`CHUNK_SIZE` bytes, written one chunk at a time (Core inserts, no ORM identity map), so adding a
large scan holds one chunk of it in memory, not the whole file.  Backups copy the registry, so
attachments travel in them; purge deletes them with their file (``ON DELETE CASCADE`` → ``collect_owned``),
and ``secure_delete`` plus the WAL checkpoint leave no page image behind.

Checks before anything is written: the size limit (setting ``attachment_max_mb``, default 20 MB), the type
by content (:mod:`fanguai_desk.domain.filetypes`), and the DNA rule on the file name, the title and a PDF's
text layer (000 §9: a DNA comparison report must not be stored here).

Every read of the content (preview, export, a copy for another program) is audited.  A copy for another
program is the only way plaintext reaches the disk: only after the user confirmed a warning, only into a
private (0700) folder of this session, removed by :meth:`ExternalCopies.remove_all` when the app locks or
closes (and at the next start, if the app crashed).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from fanguai_desk.domain import filetypes
from fanguai_desk.domain.dna import ensure_no_dna, ensure_no_dna_filename
from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import NotFound, ValidationError
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store import external_copies
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.closed_files import ensure_file_open
from fanguai_desk.store.external_copies import EXTERNAL_PREFIX
from fanguai_desk.store.models import (
    Attachment,
    AttachmentChunk,
    FollowUp,
    LegalAidReferral,
    Placement,
    Tombstone,
    Victim,
)

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
DEFAULT_MAX_MB = 20
MAX_MB_RANGE = (1, 200)
PARENT_MODELS = {"followup": FollowUp, "referral": LegalAidReferral, "placement": Placement}


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    victim_id: str
    parent_type: str | None
    parent_id: str | None
    title: str
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime
    created_by: str | None


def _info(a: Attachment) -> AttachmentInfo:
    return AttachmentInfo(a.id, a.victim_id, a.parent_type, a.parent_id, a.title, a.filename, a.media_type, a.size,
                          a.sha256, a.created_at, a.created_by)


def _clean_filename(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip()
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "_", base)
    if not base:
        raise ValidationError("field_required", field="filename")
    return base[-255:]


def pdf_text(stream: BinaryIO) -> str:
    """The text layer of a PDF (empty for a pure scan); ``attachment_pdf_unreadable`` if it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            raise ValidationError("attachment_pdf_unreadable")
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ValidationError("attachment_pdf_unreadable") from exc


class AttachmentService(ServiceBase):
    # ------------------------------------------------------------------ settings

    def max_bytes(self) -> int:
        return self.uow.settings().attachment_max_mb * 1024 * 1024

    def resolve_victim(self, ref: str) -> str:
        """A file's id from its id or its file number (the CLI accepts either)."""
        with self.uow.read() as s:
            v = s.get(Victim, ref)
            if v is None:
                v = s.scalars(select(Victim).where(Victim.file_number == ref.strip())).first()
            if v is None:
                raise NotFound("victim_not_found")
            return self._victim(s, v.id).id

    # ------------------------------------------------------------------ add

    def add(self, victim_id: str, source: Path | BinaryIO, *, filename: str | None = None, title: str | None = None,
            parent_type: str | None = None, parent_id: str | None = None) -> AttachmentInfo:
        """Attach the file at ``source`` (a path or a binary stream) to a file, all or nothing."""
        self.uow.require(Permission.FILE_WRITE)
        if isinstance(source, Path):
            name = filename or source.name
            try:
                stream: BinaryIO = source.open("rb")
            except OSError:
                raise ValidationError("attachment_source_unreadable") from None
        else:
            name = filename or "attachment"
            stream = source
        with contextlib.closing(stream) if isinstance(source, Path) else contextlib.nullcontext(stream):
            return self._add(victim_id, stream, name, title, parent_type, parent_id)

    def _add(self, victim_id: str, stream: BinaryIO, name: str, title: str | None, parent_type: str | None,
             parent_id: str | None) -> AttachmentInfo:
        clean_name = _clean_filename(name)
        ensure_no_dna_filename(clean_name)
        title_text = fields.text(200)("title", title) or os.path.splitext(clean_name)[0][:200] or clean_name[:200]
        ensure_no_dna("title", title_text)
        limit = self.max_bytes()
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        if size > limit:
            raise ValidationError("attachment_too_large", max_mb=limit // (1024 * 1024),
                                  size_mb=f"{size / (1024 * 1024):.1f}")
        if size == 0:
            raise ValidationError("attachment_empty")
        media_type = filetypes.sniff(stream.read(filetypes.SNIFF_BYTES))
        stream.seek(0)
        if media_type is None:
            raise ValidationError("attachment_type_unsupported")
        if media_type == filetypes.PDF:
            ensure_no_dna("attachment_text", pdf_text(stream))
            stream.seek(0)
        if parent_type is not None and parent_type not in PARENT_MODELS:
            raise ValidationError("enum_value", field="parent_type", allowed=", ".join(PARENT_MODELS))
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            if parent_type is not None:
                if not parent_id:
                    raise ValidationError("field_required", field="parent_id")
                _parent, parent_victim = self._child(s, PARENT_MODELS[parent_type], parent_id, write=True)
                if parent_victim.id != victim.id:
                    raise NotFound("record_not_found")
            att = Attachment(victim_id=victim.id, parent_type=parent_type, parent_id=parent_id if parent_type else None,
                             title=title_text, filename=clean_name, media_type=media_type, size=0, sha256="",
                             chunk_count=0, created_at=utcnow(), created_by=self.uow.actor.user_id,
                             origin_installation=self.uow.registry.installation_id)
            s.add(att)
            s.flush()
            digest = hashlib.sha256()
            written = seq = 0
            chunks = AttachmentChunk
            while True:
                piece = stream.read(CHUNK_SIZE)
                if not piece:
                    break
                written += len(piece)
                if written > limit:  # the file grew while being read
                    raise ValidationError("attachment_too_large", max_mb=limit // (1024 * 1024),
                                          size_mb=f"{written / (1024 * 1024):.1f}")
                digest.update(piece)
                s.execute(insert(chunks), [{"attachment_id": att.id, "seq": seq, "data": piece}])
                seq += 1
            att.size, att.sha256, att.chunk_count = written, digest.hexdigest(), seq
            self.uow.audit(s, AuditAction.CREATE, Attachment.RECORD_TYPE, att.id, victim=victim.id,
                            media_type=media_type, size=written, **({"parent": parent_type} if parent_type else {}))
            info = _info(att)
        log.info("attachment added", extra={"attachment": info.id, "bytes": info.size})
        return info

    # ------------------------------------------------------------------ read

    def list(self, victim_id: str) -> list[AttachmentInfo]:
        """The file's attachments (titles and types, no content), newest first."""
        with self.uow.read() as s:
            self._victim(s, victim_id)
            rows = s.scalars(select(Attachment).where(Attachment.victim_id == victim_id)
                             .order_by(Attachment.created_at.desc(), Attachment.id))
            return [_info(a) for a in rows]

    def count(self, victim_id: str) -> int:
        with self.uow.read() as s:
            self._victim(s, victim_id)
            return int(s.scalar(select(func.count(Attachment.id)).where(Attachment.victim_id == victim_id)) or 0)

    def info(self, attachment_id: str) -> AttachmentInfo:
        with self.uow.read() as s:
            return _info(self._attachment(s, attachment_id))

    def _attachment(self, s: Session, attachment_id: str) -> Attachment:
        att = s.get(Attachment, attachment_id)
        if att is None:
            raise NotFound("record_not_found")
        self._victim(s, att.victim_id)  # scope: another township's attachment looks like none
        return att

    def _chunks(self, attachment_id: str) -> Iterator[bytes]:
        with self.uow.read() as s:
            ids = list(s.scalars(select(AttachmentChunk.id).where(AttachmentChunk.attachment_id == attachment_id)
                                 .order_by(AttachmentChunk.seq)))
            for cid in ids:
                data = s.scalar(select(AttachmentChunk.data).where(AttachmentChunk.id == cid))
                yield bytes(data or b"")

    def content(self, attachment_id: str, *, purpose: str = "preview") -> tuple[AttachmentInfo, bytes]:
        """The whole content, in memory (for the preview), audited as a view."""
        with self.uow.tx() as s:
            info = _info(self._attachment(s, attachment_id))
            self.uow.audit(s, AuditAction.READ, Attachment.RECORD_TYPE, info.id, victim=info.victim_id,
                            purpose=purpose)
        data = b"".join(self._chunks(info.id))
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise ValidationError("attachment_damaged")
        return info, data

    def export(self, attachment_id: str, out: Path, *, purpose: str = "export") -> AttachmentInfo:
        """Write the content to ``out`` (a choice the user made; audited as an export), chunk by chunk."""
        with self.uow.tx() as s:
            info = _info(self._attachment(s, attachment_id))
            self.uow.audit(s, AuditAction.EXPORT, Attachment.RECORD_TYPE, info.id, victim=info.victim_id,
                            purpose=purpose)
        digest = hashlib.sha256()
        tmp = out.with_name(f".{out.name}.part")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                for piece in self._chunks(info.id):
                    digest.update(piece)
                    fh.write(piece)
            if digest.hexdigest() != info.sha256:
                raise ValidationError("attachment_damaged")
            os.replace(tmp, out)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return info

    # ------------------------------------------------------------------ remove

    def remove(self, attachment_id: str) -> None:
        """Delete an attachment for good (administrator only, audited); no page image of it is left behind."""
        self.uow.require(Permission.ATTACHMENT_REMOVE)
        with self.uow.tx() as s:
            att = self._attachment(s, attachment_id)
            victim_id = att.victim_id
            ensure_file_open(s, victim_id)  # a closed file is read-only (store/closed_files.py)
            s.expunge(att)
            s.execute(delete(AttachmentChunk).where(AttachmentChunk.attachment_id == attachment_id))
            s.execute(delete(Attachment).where(Attachment.id == attachment_id))
            s.merge(Tombstone(record_id=attachment_id, record_type=Attachment.RECORD_TYPE, deleted_at=utcnow(),
                              deleted_by=self.uow.actor.user_id,
                              installation_id=self.uow.registry.installation_id, reason="deleted"))
            self.uow.audit(s, AuditAction.DELETE, Attachment.RECORD_TYPE, attachment_id, victim=victim_id)
        with self.uow.registry.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class ExternalCopies:
    """Plaintext copies for another program: one private (0700) folder per session, removed on lock/close."""

    def __init__(self, base: Path | None = None) -> None:
        self._base = base
        self.folder: Path | None = None

    def open_copy(self, service: AttachmentService, attachment_id: str, *, confirmed: bool) -> Path:
        """Write one attachment into the private folder, if the user confirmed the warning."""
        if not confirmed:
            raise ValidationError("attachment_external_not_confirmed")
        if self.folder is None or not self.folder.exists():
            self.folder = Path(tempfile.mkdtemp(prefix=EXTERNAL_PREFIX, dir=self._base))
            os.chmod(self.folder, 0o700)
        info = service.info(attachment_id)
        stem = re.sub(r"[^\w.-]+", "_", os.path.splitext(info.filename)[0])[:60] or "attachment"
        target = self.folder / f"{stem}-{info.id[:8]}{filetypes.EXTENSIONS[info.media_type]}"
        service.export(attachment_id, target, purpose="open_external")
        return target

    def remove_all(self) -> None:
        """Overwrite and delete every copy, then the folder."""
        folder, self.folder = self.folder, None
        if folder is None:
            return
        external_copies.wipe_folder(folder)

    @staticmethod
    def remove_stale(base: Path | None = None) -> int:
        """Folders left behind by a session that crashed (called at start-up)."""
        return external_copies.remove_stale(base)
