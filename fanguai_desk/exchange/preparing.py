"""A bundle's records read and checked in a helper process while this one merges the ones before them.

An import of a whole county is CPU-bound on one core, doing two things in series: reading each incoming record
and checking it on its own (inflating, JSON, types, bounds, the DNA check, the text, ID-number and date rules:
:func:`~fanguai_desk.exchange.importer.decode_record`, which needs nothing but the record), and merging it
(SQLite, the file rules, duplicates, authorisation: everything that needs the registry).  The first is about a
third of the work.  A large import hands it to a second process so both cores work: the helper reads and checks
line *k + 1000* while this process merges line *k*.

Nothing changes in what is checked or in which refusal comes first.  :func:`prepare_line` is the one function
both ways run; the helper sends back, in the payload's order, every line as the merge takes it — a record's
checked values, or the refusal its own checks raised, or any other line as it was — and a stream error
(truncated, too large, not JSON) at the place it was found.  The merge raises a record's refusal when it
reaches it, after the checks it makes first itself (:meth:`Merger.add_prepared`), exactly where the in-process
import raises it; an import refused anywhere is rolled back whole, as before.

The helper is this program, started fresh (``spawn``: a new interpreter that inherits nothing of this one but
its module path; ``multiprocessing.freeze_support`` in the frozen app's entry), hardened as the program is
(``hardening.harden_process``: no core dump, not dumpable).  It holds no key and opens
nothing: the part, decrypted and its signature checked here, travels over an anonymous pipe in memory, never a
file, and the checked values come back the same way.  It runs one part at a time, when asked, so at most one
part's compressed payload and a few thousand checked lines are in flight; it is stopped (killed if it is busy)
when the import ends either way, and a helper that dies mid-way refuses the import (``import_helper_failed``),
never lets it go on with a part half read.

The helper works ahead: the next part is handed to it (:meth:`Preparer.ahead`) as soon as the last one's lines are
all read, so it reads and checks while this process settles the part before (file rules, duplicates: about a
second a part at 100,000 files); and its checked lines wait, pickled, in a bounded outbox
(:data:`AHEAD_CHUNKS`) that a thread of its own sends from, so neither process waits for the other where
their work comes unevenly (a part's files are quick to merge and slow to check; its follow-ups the other way).
The pipe is never read and written at once: the helper takes the next part only once the last is wholly sent.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
from collections.abc import Iterator, Mapping
from multiprocessing.reduction import ForkingPickler
from typing import Any

from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.importer import codec_for, decode_record
from fanguai_desk.exchange.payload import read_lines
from fanguai_desk.hardening import harden_process
from fanguai_desk.store.models import MODEL_BY_RECORD_TYPE

#: First item of a prepared record's tuple (any other line stays the dict it was).
PREPARED = "prepared"
#: First item of the helper's message for an error in the stream itself, at the place it was found.
_STREAM_ERROR = "stream_error"
_HELPER_BROKE = "helper_broke"
#: Lines per message from the helper: large enough that pickling is cheap per line, small enough that the
#: merge starts soon and little is in flight.
CHUNK_LINES = 1000
#: Checked chunks the helper may hold, pickled, before this process takes them (~450 bytes a line: at most ~29 MB).
#: Enough to run ahead through a part's settling and through its files (slow to check, quick to merge); bounded,
#: never a whole part's lines.  Import of 100,000 files: 114.7 s with 24, 111.1 s with 64 (peak 563 → 564 MB).
AHEAD_CHUNKS = 64
#: A bundle (or set) declaring at least this many records is prepared in the helper process; a smaller one is
#: not worth starting a second interpreter (about half a second) for.
HELPER_FROM_RECORDS = 30_000


def prepare_line(line: dict[str, Any]) -> Any:
    """A payload line as the merge takes it: a record line (of a table whose records carry every column) checked
    on its own by ``decode_record`` → ``(PREPARED, type, values or None, base, refusal or None)``; anything else —
    other lines, user stubs, a record line too broken to name its table — the line itself, for the merge to
    handle (and refuse) as it always did."""
    if line.get("t") != "record":
        return line
    record_type, raw = line.get("type"), line.get("data") or {}
    model = MODEL_BY_RECORD_TYPE.get(record_type) if isinstance(record_type, str) else None
    if model is None or not isinstance(raw, Mapping):
        return line
    codec = codec_for(model)
    if not codec.complete:
        return line
    try:
        values = codec.values_of(decode_record(model, raw))
    except FanguaiError as refusal:
        return (PREPARED, record_type, None, line.get("base"), refusal)
    return (PREPARED, record_type, values, line.get("base"), None)


class Preparer:
    """Where a payload's lines are prepared: here (``helper=False``), or in a helper process.  A context
    manager: the helper is started on entry and stopped on exit."""

    def __init__(self, *, helper: bool) -> None:
        self._helper = helper
        self._process: Any = None
        self._conn: Any = None
        self._busy = False
        self._sent = False  # a part handed to the helper whose lines were not read yet
        self._next: bytes | None = None  # in process: the part handed over

    def __enter__(self) -> Preparer:
        if self._helper:
            context = multiprocessing.get_context("spawn")
            self._conn, child = context.Pipe(duplex=True)
            self._process = context.Process(target=_serve, args=(child,), name="fanguai-desk-import-helper",
                                            daemon=True)
            self._process.start()
            child.close()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def uses_helper(self) -> bool:
        return self._process is not None

    def ahead(self, payload: bytes) -> None:
        """Hand the next part over now: the helper reads and checks it while this process settles the last
        one.  Only once the last part's lines were all read; the next :meth:`lines` yields this part's."""
        if self._process is None:
            self._next = payload
            return
        self._busy = True  # it holds a part: stopped now, it is killed
        try:
            self._conn.send_bytes(payload)
        except OSError:  # it is gone
            self._broke()
        self._sent = True

    def lines(self, payload: bytes | None = None) -> Iterator[Any]:
        """The payload's lines, prepared, in order; a stream error raised where it was found.  ``None``: the
        part handed over with :meth:`ahead`."""
        if payload is not None:
            self.ahead(payload)
        if self._process is None:
            payload, self._next = self._next, None
            assert payload is not None
            for line in read_lines(payload):
                yield prepare_line(line)
            return
        assert self._sent, "no part was handed over"
        self._sent = False
        while True:
            try:
                chunk = self._conn.recv()
            except (EOFError, OSError):
                self._broke()
            if chunk is None:
                break
            for item in chunk:
                if type(item) is tuple and item[0] != PREPARED:
                    if item[0] == _STREAM_ERROR:
                        raise item[1]
                    self._broke()
                yield item
        self._busy = False

    def _broke(self) -> None:
        self.close()
        raise ExchangeError("import_helper_failed")

    def close(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is None:
            return
        try:
            if self._busy:
                process.kill()  # mid-part (the merge refused something): what it still holds is not wanted
            else:
                conn.send_bytes(b"")
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join(timeout=10)
        except OSError:
            process.kill()
        finally:
            conn.close()
            self._busy = False


def _serve(conn: Any) -> None:
    """The helper process: a part in, its prepared lines out (in chunks, then None), until an empty message
    or until the importing process is gone (its end of the pipe closed) or interrupted (Ctrl+C reaches the
    whole process group; the importing process says what happened): quietly, without a traceback."""
    # It holds decrypted records: hardened like the program itself (no core dump; on Linux not dumpable, so no
    # other process of the user can ptrace it or read its memory): an exec resets the dumpable flag.
    harden_process()
    with contextlib.suppress(OSError, KeyboardInterrupt):
        _serve_parts(conn)


def _serve_parts(conn: Any) -> None:
    outbox: queue.Queue[memoryview | None] = queue.Queue(maxsize=AHEAD_CHUNKS)
    gone = threading.Event()
    sender = threading.Thread(target=_send_from, args=(conn, outbox, gone), name="send", daemon=True)
    sender.start()
    try:
        _prepare_parts(conn, outbox, gone)
    finally:  # ends the sender; an outbox still full means the importing process stopped reading: no wait
        with contextlib.suppress(queue.Full):
            outbox.put_nowait(None)


def _prepare_parts(conn: Any, outbox: queue.Queue[memoryview | None], gone: threading.Event) -> None:
    def post(message: Any) -> None:
        outbox.put(ForkingPickler.dumps(message))  # what Connection.send writes

    while True:
        outbox.join()  # the last part wholly sent before the next is read: the pipe is never used both ways at once
        if gone.is_set():
            return
        try:
            payload = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not payload:
            return
        chunk: list[Any] = []
        try:
            for line in read_lines(payload):
                chunk.append(prepare_line(line))
                if len(chunk) >= CHUNK_LINES:
                    post(chunk)
                    chunk = []
        except FanguaiError as error:
            chunk.append((_STREAM_ERROR, error))
        except Exception:  # a fault of this program: said without anything of the records in it
            chunk.append((_HELPER_BROKE,))
        del payload
        post(chunk)
        post(None)


def _send_from(conn: Any, outbox: queue.Queue[memoryview | None], gone: threading.Event) -> None:
    """The helper's sending thread: the outbox's messages down the pipe, in order, until ``None``.  Once the
    importing process is gone, what is left is dropped (the preparing thread sees ``gone`` and stops)."""
    while True:
        message = outbox.get()
        try:
            if message is None:
                return
            if not gone.is_set():
                conn.send_bytes(message)
        except OSError:
            gone.set()
        finally:
            outbox.task_done()
