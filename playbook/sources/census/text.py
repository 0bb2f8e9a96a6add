"""The text of an official CSV file: its encoding, found from its bytes (never guessed from its first
lines), and its rows' errors, named by line.

Statistics Canada publishes its CSV files in Latin-1 / Windows-1252 ("Montréal" as ``4d 6f 6e 74 72
e9 61 6c``); a file re-saved by a spreadsheet or a script is often UTF-8, with or without a byte-order
mark. Both are read correctly; the encoding is decided like this:

1. a byte-order mark decides: UTF-8 (``EF BB BF``) is read; UTF-16 and UTF-32 are refused with a clear
   message (their bytes are not ASCII-compatible, so the streaming readers cannot cut lines);
2. otherwise a sample is read — the first and last MB and evenly spaced blocks in between for a plain
   file (about :data:`SAMPLE_BYTES` in all, whatever the file's size), the first :data:`ZIP_HEAD` bytes
   of a zip member (a compressed member cannot be entered in the middle without decompressing what
   comes before) — and its non-ASCII bytes are decoded as strict UTF-8: valid UTF-8 means UTF-8;
   anything else means Windows-1252. Text in Windows-1252 with accents practically never forms valid
   UTF-8 (an ``é`` is one byte ``e9``, which UTF-8 never allows alone), so the test is reliable;
3. a sample that is pure ASCII (the first lines of the CSD file are) leaves the encoding *undecided*
   (:data:`UNDECIDED`): readers then decide from the text they keep (a value that is not UTF-8
   means Windows-1252), so a late "Montréal" is still read right;
4. NUL bytes in the sample mean UTF-16 without a byte-order mark (or not text): refused.

``encoding=`` (``--encoding``) declares the encoding instead; any ASCII-compatible codec is accepted.

:func:`row_error` reads PyArrow's "Row #N: Expected 23 columns, got 22" (PyArrow's own row-handler
hook decodes the row as UTF-8 and prints a traceback for a Windows-1252 row, so it is not used).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from os import PathLike

from playbook.errors import PlaybookError

BOM_UTF8 = codecs.BOM_UTF8
#: Byte-order marks of encodings the readers refuse (longest first: UTF-32 LE starts like UTF-16 LE).
REFUSED_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
#: Bytes sampled in a plain file: head and tail of 1 MB each and blocks spread between them.
SAMPLE_BYTES = 4 << 20
EDGE = 1 << 20
BLOCKS = 16
#: Bytes sampled at the start of a zip member.
ZIP_HEAD = 8 << 20
#: The encoding of a file whose sample is pure ASCII: decided later, from the text kept.
UNDECIDED = "ascii"
#: What a file that is not UTF-8 is read as (Windows-1252, the superset of Latin-1 Statistics Canada uses).
FALLBACK = "cp1252"

HINT = "UTF-8 or Windows-1252 (Latin-1) text, as published; re-save the file as CSV UTF-8 or give --encoding"


def declared(encoding: str | None, *, field: str = "encoding") -> str | None:
    """A declared encoding, normalised (``"UTF8"`` -> ``"utf-8"``, ``"latin1"`` -> ``"iso8859-1"``);
    ``None`` stays ``None`` (detect). Refuses unknown codecs and those that are not ASCII-compatible."""
    if encoding is None:
        return None
    try:
        info = codecs.lookup(str(encoding))
    except LookupError:
        raise PlaybookError(f"unknown encoding '{encoding}'", field=field,
                            expected="an encoding such as utf-8, cp1252 or latin-1") from None
    if info.name == "utf-8-sig":
        return "utf-8"
    try:
        ascii_compatible = b'A,"\t\r\n'.decode(info.name) == 'A,"\t\r\n'
    except (UnicodeError, LookupError):
        ascii_compatible = False
    if not ascii_compatible or info.name.startswith(("utf-16", "utf-32")):
        raise PlaybookError(f"encoding '{encoding}' cannot be streamed", field=field,
                            expected="an ASCII-compatible encoding such as utf-8, cp1252 or latin-1 "
                            "(re-save a UTF-16 file as UTF-8)")
    return info.name


def refuse_bom(head: bytes, label: str | PathLike) -> None:
    """Raise if ``head`` starts with a UTF-16 or UTF-32 byte-order mark, or holds NUL bytes."""
    for bom, name in REFUSED_BOMS:
        if head.startswith(bom):
            raise PlaybookError(f"the file is {name} text (byte-order mark {bom.hex(' ')})", path=label, row=1,
                                expected=HINT)
    if b"\x00" in head:
        raise PlaybookError("the file holds NUL bytes (UTF-16 text without a byte-order mark, or not a text file)",
                            path=label, row=1 + head[:head.index(b"\x00")].count(b"\n"), expected=HINT)


def _utf8_ok(chunk: bytes, *, start: bool, end: bool) -> bool:
    """Whether ``chunk`` is valid UTF-8, allowing a character cut at either edge of a sample block."""
    if not start:  # skip continuation bytes of a character that began before the block
        skip = 0
        while skip < min(3, len(chunk)) and 0x80 <= chunk[skip] <= 0xBF:
            skip += 1
        chunk = chunk[skip:]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(chunk, final=end)
    except UnicodeDecodeError:
        return False
    return True


def classify(chunks: list[tuple[bytes, bool, bool]]) -> str:
    """``"utf-8"``, :data:`FALLBACK` or :data:`UNDECIDED` for sample blocks ``(bytes, at_start, at_end)``."""
    seen = False
    for chunk, start, end in chunks:
        if chunk.isascii():
            continue
        seen = True
        if not _utf8_ok(chunk, start=start, end=end):
            return FALLBACK
    return "utf-8" if seen else UNDECIDED


def sample_file(read_at: Callable[[int, int], bytes], size: int) -> list[tuple[bytes, bool, bool]]:
    """Blocks of a plain file of ``size`` bytes: the whole file if small, else head, tail and
    :data:`BLOCKS` evenly spaced blocks (``read_at(offset, n)`` reads them)."""
    if size <= SAMPLE_BYTES:
        return [(read_at(0, size), True, True)]
    middle = (SAMPLE_BYTES - 2 * EDGE) // max(BLOCKS, 1)
    step = (size - 2 * EDGE) // (BLOCKS + 1)
    out = [(read_at(0, EDGE), True, False)]
    out += [(read_at(EDGE + step * (k + 1), middle), False, False) for k in range(BLOCKS)]
    out.append((read_at(size - EDGE, EDGE), False, True))
    return out


def detect(head: bytes, blocks: list[tuple[bytes, bool, bool]], label: str | PathLike) -> str:
    """The encoding of a file from its first bytes and sample ``blocks`` (see the module's rules)."""
    refuse_bom(head, label)
    if head.startswith(BOM_UTF8):
        return "utf-8"
    for chunk, _start, _end in blocks:
        if b"\x00" in chunk:
            refuse_bom(chunk, label)
    return classify(blocks)


def of_path(path: str | PathLike, encoding: str | None = None) -> str:
    """The encoding of a plain file: ``encoding`` if declared (checked), else detected from a sample."""
    chosen = declared(encoding)
    with open(path, "rb") as fh:
        head = fh.read(4096)
        if chosen is not None:
            if chosen == "utf-8":
                refuse_bom(head, path)
            return chosen
        size = fh.seek(0, 2)

        def read_at(offset: int, n: int) -> bytes:
            fh.seek(offset)
            return fh.read(n)

        return detect(head, sample_file(read_at, size), path)


def _latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start:error.end].decode("latin-1"), error.end


#: An error handler that reads the five bytes Windows-1252 leaves undefined as Latin-1 does (control
#: characters), so that a true Latin-1 file is never refused (``open(..., errors=LATIN1_ERRORS)``).
LATIN1_ERRORS = "playbook-latin1"
codecs.register_error(LATIN1_ERRORS, _latin1)


def errors(encoding: str) -> str:
    """The decoding error handler for ``encoding``: strict, but Latin-1's for Windows-1252."""
    return LATIN1_ERRORS if encoding == FALLBACK else "strict"


def decoder(encoding: str) -> Callable[[bytes], str]:
    """Bytes -> text in ``encoding``, strictly (Windows-1252's five undefined bytes read as Latin-1)."""
    handler = errors(encoding)
    return lambda raw: raw.decode(encoding, handler)


def resolve(values: list[bytes]) -> str:
    """The encoding of an :data:`UNDECIDED` file, from the raw text values it kept."""
    return classify([(v, True, True) for v in values if v])


_ROW_ERROR = re.compile(r"Row #(?P<row>\d+): Expected (?P<expected>\d+) columns, got (?P<actual>\d+)")


def row_error(message: str) -> tuple[int | None, int, int] | None:
    """``(row, expected columns, columns found)`` from a PyArrow CSV parse error (``row`` is PyArrow's
    1-based row of the input it parsed, None when it parsed on several threads); None for another error."""
    found = _ROW_ERROR.search(message) or re.search(r"Expected (?P<expected>\d+) columns, got (?P<actual>\d+)", message)
    if found is None:
        return None
    row = found.groupdict().get("row")
    return (None if row is None else int(row)), int(found["expected"]), int(found["actual"])
