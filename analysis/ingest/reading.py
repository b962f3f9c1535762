"""Reading input files: their type by suffix, their bytes within limits, and their text decoded.

Decoding: a byte-order mark wins; then bytes that are valid UTF-8 are UTF-8; then an HTML
page's own ``<meta charset>`` (or ``http-equiv`` content type, or XML declaration); then
the ``encoding`` the caller gives, which is only ever used for files that are none of these.
Text that was UTF-8 read as windows-1252 before it was saved ("isnâ€™t") is repaired
(:func:`repair_garbled`), and the audit counts the repairs. Every refusal is an :class:`InputError`: one line naming the file and the fix.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

#: File types by lower-case suffix (a double one for compressed archives).
PAGE_SUFFIXES = frozenset({".txt", ".text"})
RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json", ".csv", ".tsv"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
#: Web archives; the compressed ones have a double suffix (see :func:`input_suffix`).
ARCHIVE_SUFFIXES = frozenset({".warc", ".warc.gz", ".arc", ".arc.gz"})
#: Column names accepted for each field of a record, first match wins.
#: Share of control characters above which a decoded file is taken to be binary.
MAX_CONTROL_SHARE = 0.01
#: Longest line (in bytes) accepted in a scraped page. A paragraph is a few kilobytes; a
#: line of megabytes is a page saved without line breaks (minified HTML, a dump), which
#: segmentation cannot split and would hold in memory several times over. The limit is
#: checked while the file is read in chunks, so such a file is refused after reading at
#: most this much of it into memory.
MAX_LINE_BYTES = 1 << 20
#: Bytes read at a time when checking line lengths.
READ_CHUNK_BYTES = 1 << 20
_LINE_BREAK = re.compile(rb"[\r\n]")


class InputError(ValueError):
    """A problem with one input file, phrased as one line naming the file and the fix."""


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: Byte-order marks and their codecs; UTF-32's come first because UTF-16's are a prefix of them.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Bytes of an HTML page searched for its declared encoding. Browsers look at the first
#: 1,024 bytes; saved pages often carry scripts and styles before the ``<meta>``, so more.
DECLARATION_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
#: Labels that browsers read as windows-1252 (the WHATWG Encoding Standard): pages that
#: declare Latin-1 or ASCII use its curly quotes and dashes (bytes 0x80-0x9f) all the time.
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "cp819"})
#: Codecs suggested when the one the user gave fails, in this order, the given one left out.
OTHER_ENCODINGS = ("cp1252", "cp1250", "cp1251", "latin-1")


@dataclass(frozen=True)
class Decoded:
    """A file's text and how it was decoded.

    Attributes
    ----------
    text : str
        The text, byte-order mark removed, line endings unchanged.
    encoding : str
        The Python codec used (``"utf-8"``, ``"cp1252"``, ``"utf-16"``).
    source : str
        Why that codec: ``"UTF-8"`` (the bytes are valid UTF-8), ``"byte-order mark"``,
        ``"declared by the page"``, ``"--encoding"``, or ``"the page declares cp1252, but its
        bytes are UTF-8"`` (a page re-saved as UTF-8 that kept its old ``<meta charset>``).
    """

    text: str
    encoding: str
    source: str
    repaired: int = 0

    def describe(self) -> str:
        """``"utf-8"``, or the codec and why: ``"cp1252 (declared by the page)"``."""
        return self.encoding if self.source == "UTF-8" else f"{self.encoding} ({self.source})"

    def describe_with_repairs(self) -> str:
        """:meth:`describe`, and how many garbled sequences were repaired, if any
        (``"utf-8, 12 garbled sequences repaired"``)."""
        if not self.repaired:
            return self.describe()
        return f"{self.describe()}, {self.repaired:,} garbled sequence{'s' if self.repaired != 1 else ''} repaired"


def _byte_of_windows_1252() -> dict[str, int]:
    """The byte behind each character that windows-1252 or Latin-1 reads for 0x80-0xFF (they
    differ in 0x80-0x9F: "€" or a control character for 0x80)."""
    table = {chr(byte): byte for byte in range(0x80, 0x100)}
    for byte in range(0x80, 0xA0):
        try:
            table[bytes([byte]).decode("cp1252")] = byte
        except UnicodeDecodeError:
            continue  # one of its five undefined bytes: Latin-1's control character stands for it
    return table


_BYTE_OF = _byte_of_windows_1252()
#: What windows-1252 (or Latin-1) shows for UTF-8's continuation bytes 0x80-0xBF, and for the
#: part of them that reads as punctuation (0x80-0x9F: "€", "’", "”", "…") rather than as
#: Latin-1's symbols (0xA0-0xBF: "©", "°", "½").
_CONTINUATION = "".join(c for c, b in _BYTE_OF.items() if b < 0xC0)
_PUNCTUATION_CONTINUATION = "".join(c for c, b in _BYTE_OF.items() if b < 0xA0)
_SYMBOL_CONTINUATION = "".join(chr(b) for b in range(0xA0, 0xC0))
#: UTF-8 read as windows-1252 (or Latin-1), in the shapes a page shows it:
#: - "Â" or "Ã" before a symbol ("Ã©" for "é", "Â " for a no-break space), or before
#:   punctuation inside a word ("Ã‰cole" for "École": "AMANHÃ”" is Portuguese);
#: - another two-byte lead in a run of two or more ("Ð¿Ñ€Ð¸" for Cyrillic), never alone
#:   ("Gruß“" is German);
#: - "â" and two continuations ("â€™" for "’"), "ðŸ" and two more (emoji); other three-
#:   and four-byte leads (CJK) are not tried ("é…”" is French, "Hawaï »" too).
_GARBLED = re.compile(
    f"[ÂÃ][{re.escape(_SYMBOL_CONTINUATION)}]"
    f"|[ÂÃ][{re.escape(_PUNCTUATION_CONTINUATION)}](?=[^\\W\\d_])"
    f"|(?:[\\u00c4-\\u00df][{re.escape(_CONTINUATION)}]){{2,}}"
    f"|â[{re.escape(_CONTINUATION)}]{{2}}"
    f"|ð[\\u0178\\u009f][{re.escape(_CONTINUATION)}]{{2}}"
)
#: Sequences that only garbling makes: "â€" (0xE2 0x80) before a continuation, "ðŸ" (0xF0
#: 0x9F). Only a text holding one, or two garbled letters, is repaired.
_GARBLED_SIGNATURE = re.compile(f"â[€\\u0080][{re.escape(_CONTINUATION)}]|ð[\\u0178\\u009f]")
#: ... or this many garbled sequences of the other shapes.
MIN_GARBLED_LETTERS = 2
#: Text garbled more than once is repaired in as many passes, up to this many.
MAX_GARBLING_PASSES = 3


def repair_garbled(text: str) -> tuple[str, int]:
    """Text that was UTF-8 read as windows-1252 or Latin-1 somewhere upstream (a page served
    with the wrong charset, a scraper's default), read again as UTF-8: "isnâ€™t" becomes "isn’t".

    Only a text that holds a sequence garbling alone makes ("â€™", "ðŸ˜€") or two garbled
    letters ("Ã©", "Ã¨") is touched, and within it only the shapes of :data:`_GARBLED`, so
    "Gruß“" and "AMANHÃ”" stay as they are. A sequence whose bytes are not UTF-8, or make a
    control, private-use or unassigned character, is left as it is. Text garbled twice
    ("SÃƒÂ£O") is repaired twice, up to :data:`MAX_GARBLING_PASSES` times.

    Parameters
    ----------
    text : str
        Decoded text.

    Returns
    -------
    tuple of (str, int)
        The text and how many garbled sequences were repaired.
    """
    if not _GARBLED_SIGNATURE.search(text) and len(_GARBLED.findall(text)) < MIN_GARBLED_LETTERS:
        return text, 0
    repaired = 0

    def repair(match: re.Match[str]) -> str:
        nonlocal repaired
        try:
            fixed = bytes(_BYTE_OF[c] for c in match.group()).decode("utf-8")
        except UnicodeDecodeError:
            return match.group()
        if any(unicodedata.category(c) in ("Cc", "Co", "Cn") for c in fixed):
            return match.group()
        repaired += 1
        return fixed

    # text garbled twice ("SÃƒÂ£O" for "SãO") comes right in a second pass
    for _ in range(MAX_GARBLING_PASSES):
        before = repaired
        text = _GARBLED.sub(repair, text)
        if repaired == before:
            break
    return text, repaired


def _repaired(decoded: Decoded) -> Decoded:
    """``decoded`` with its garbled sequences repaired (:func:`repair_garbled`)."""
    text, repaired = repair_garbled(decoded.text)
    return replace(decoded, text=text, repaired=repaired) if repaired else decoded


def check_encoding(encoding: str | None, where: str) -> str | None:
    """Refuse a codec name Python does not know, before any file is read.

    Parameters
    ----------
    encoding : str or None
        The codec the user gave.
    where : str
        The inputs it was given for, to name in the message.

    Returns
    -------
    str or None
        ``encoding`` unchanged.

    Raises
    ------
    InputError
        When Python has no codec of that name.
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(
                f"{where}: unknown encoding {encoding!r}; pass a Python codec name such as cp1252, latin-1 or utf-16-le"
            ) from None
    return encoding


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML page declares in its first bytes, as a Python codec name.

    Parameters
    ----------
    data : bytes
        The page (only the first :data:`DECLARATION_BYTES` are searched).

    Returns
    -------
    str or None
        From ``<meta charset="...">``, ``<meta http-equiv="Content-Type" content="...;
        charset=...">`` or an XML declaration; Latin-1 and ASCII labels are read as
        windows-1252, as browsers do. None when there is no declaration or Python does not
        know the label.
    """
    head = data[:DECLARATION_BYTES]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return None if found is None else codec_for_label(found.group(1).decode("ascii"))


def codec_for_label(label: str) -> str | None:
    """The Python codec of a charset label as a page or a server states it.

    Parameters
    ----------
    label : str
        ``"UTF-8"``, ``"iso-8859-1"``, ``"Shift_JIS"`` ...

    Returns
    -------
    str or None
        The codec's Python name; Latin-1 and ASCII labels are read as windows-1252, as browsers
        do. None when Python does not know the label.
    """
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _utf8(data: bytes) -> str | None:
    """The text when ``data`` is valid UTF-8 without NUL bytes (UTF-16 text or a binary file has them), else None."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_as(data: bytes, codec: str) -> str | UnicodeDecodeError:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        return error


def _choose(data: bytes, path: Path, encoding: str | None) -> Decoded:
    """Pick the codec (byte-order mark, UTF-8, the page's declaration, ``encoding``) and decode."""
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    if bom is not None:
        decoded = _decode_as(data, bom)
        if isinstance(decoded, UnicodeDecodeError):
            raise InputError(
                f"{path}: starts with a {bom.removesuffix('-sig')} byte-order mark but is not valid {bom.removesuffix('-sig')} "
                f"(byte {data[decoded.start]:#04x} at offset {decoded.start}); re-save the file as UTF-8 (the mark "
                "decides how it is read, whatever --encoding says)"
            )
        return Decoded(decoded, bom.removesuffix("-sig"), "byte-order mark")
    declared = declared_encoding(data) if path.suffix.lower() in HTML_SUFFIXES else None
    declared = None if declared == "utf-8" else declared  # a UTF-8 page that is not valid UTF-8 declares nothing useful
    text = _utf8(data)
    if text is not None:
        stale = declared is not None and not text.isascii()
        return Decoded(text, "utf-8", f"the page declares {declared}, but its bytes are UTF-8" if stale else "UTF-8")
    if declared is not None:
        decoded = _decode_as(data, declared)
        if not isinstance(decoded, UnicodeDecodeError):
            return Decoded(decoded, declared, "declared by the page")
    if encoding is not None:
        return _decode_given(data, path, encoding, declared)
    if b"\x00" in data:
        raise InputError(f"{path}: {_nul_diagnosis(data)}")
    error = _first_bad_byte(data, "utf-8")
    declared_note = f" nor valid {declared}, as the page declares" if declared else ""
    example = next(c for c in OTHER_ENCODINGS if codecs.lookup(c).name != declared)
    raise InputError(
        f"{path}: not valid utf-8{declared_note} (byte {data[error]:#04x} at offset {error}); "
        f"re-save the file as UTF-8 or pass its encoding, e.g. --encoding {example}"
    )


def _first_bad_byte(data: bytes, codec: str) -> int:
    decoded = _decode_as(data, codec)
    return decoded.start if isinstance(decoded, UnicodeDecodeError) else 0


def _decode_given(data: bytes, path: Path, encoding: str, declared: str | None) -> Decoded:
    """Decode with the user's ``encoding``; a refusal suggests other codecs, never the one given."""
    decoded = _decode_as(data, encoding)
    if not isinstance(decoded, UnicodeDecodeError):
        return Decoded(decoded, codecs.lookup(encoding).name, "--encoding")
    given = codecs.lookup(encoding).name
    others = [c for c in OTHER_ENCODINGS if codecs.lookup(c).name not in (given, declared)]
    tried = (
        ["utf-8"]
        + ([f"{declared} (as the page declares)"] if declared else [])
        + ([] if given == "utf-8" else [encoding])
    )
    what = f"not valid {tried[0]}" if len(tried) == 1 else f"neither valid {', '.join(tried[:-1])} nor {tried[-1]}"
    raise InputError(
        f"{path}: {what} (byte {data[decoded.start]:#04x} at offset {decoded.start}); the file is in another "
        f"encoding: try --encoding {', '.join(others[:-1])} or {others[-1]} (latin-1 accepts any byte: check the "
        "text), or re-save the file as UTF-8"
    )


def decode(data: bytes, path: Path, encoding: str | None = None) -> Decoded:
    """Decode a file's bytes, refusing empty, binary and undecodable files with a clear message.

    The codec is, in this order: the one a byte-order mark names; UTF-8 when the bytes are
    valid UTF-8 (a page re-saved as UTF-8 often keeps its old ``<meta charset>``, and text in
    another encoding is practically never valid UTF-8); the one an HTML page declares; then
    ``encoding``. So ``encoding`` changes only files that none of the others decode, and one
    folder can mix UTF-8 files with files in one other encoding.

    Parameters
    ----------
    data : bytes
        The file's contents.
    path : Path
        The file, for messages; its extension says whether it is HTML.
    encoding : str, optional
        Codec for files that are not valid UTF-8 and declare nothing.

    Returns
    -------
    Decoded
        The text and how it was decoded.

    Raises
    ------
    InputError
        For an empty or whitespace-only file, a binary file, bytes that no candidate codec
        decodes, or an unknown ``encoding``.
    """
    if not data:
        raise InputError(f"{path}: the file is empty; remove it or re-run the scraper for this page")
    check_encoding(encoding, str(path))
    decoded = _repaired(_choose(data, path, encoding))
    text = decoded.text.lstrip("\ufeff")
    if not text.strip():
        raise InputError(f"{path}: the file holds only white space; remove it or re-run the scraper for this page")
    sample = text[:65536]
    control = len(_CONTROL_CHARACTERS.findall(sample))
    if control > MAX_CONTROL_SHARE * len(sample):
        raise InputError(f"{path}: looks like a binary file (control characters); remove it or convert it to text")
    return replace(decoded, text=text)


def decode_bytes(data: bytes, path: Path, encoding: str | None = None) -> str:
    """Decode a file's bytes into text (see :func:`decode`).

    Parameters
    ----------
    data : bytes
        The file's contents.
    path : Path
        The file, for messages.
    encoding : str, optional
        Codec for files that are not valid UTF-8 and declare nothing.

    Returns
    -------
    str
        The text, BOM removed, line endings unchanged.

    Raises
    ------
    InputError
        As :func:`decode`.
    """
    return decode(data, path, encoding).text


def decode_payload(data: bytes, charset: str | None, encoding: str | None = None) -> Decoded:
    """Decode an HTML page as a server sent it (:func:`_decode_payload`), garbled sequences
    repaired (:func:`repair_garbled`)."""
    return _repaired(_decode_payload(data, charset, encoding))


def _decode_payload(data: bytes, charset: str | None, encoding: str | None = None) -> Decoded:
    """Decode an HTML page as a server sent it (an archived HTTP response), never refusing it.

    The codec is, in this order: the one a byte-order mark names; the charset of the
    server's ``Content-Type``; the page's own declaration (:func:`declared_encoding`); UTF-8;
    ``encoding``; windows-1252, with a replacement character for its five undefined bytes.
    A declaration is passed over when its codec cannot decode the bytes, and when it names
    another codec than UTF-8 for bytes that are valid UTF-8 with non-ASCII characters: as
    for files (:func:`decode`), such bytes are practically never text in another encoding.

    Parameters
    ----------
    data : bytes
        The response's payload, transfer and content encodings removed.
    charset : str or None
        The ``charset`` parameter of the response's ``Content-Type`` header.
    encoding : str, optional
        Codec for a page that is not valid UTF-8 and declares nothing that decodes it.

    Returns
    -------
    Decoded
        The text, byte-order mark removed, and how it was decoded (``"declared by the server"``,
        ``"declared by the page"``, ``"UTF-8"``, ``"--encoding"``, ``"windows-1252 fallback"``).
    """
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    if bom is not None and not isinstance(decoded := _decode_as(data, bom), UnicodeDecodeError):
        return Decoded(decoded.lstrip("\ufeff"), bom.removesuffix("-sig"), "byte-order mark")
    text = _utf8(data)
    declarations = (
        ("the server", codec_for_label(charset) if charset else None),
        ("the page", declared_encoding(data)),
    )
    for who, codec in declarations:
        if codec is None:
            continue
        if codec != "utf-8" and text is not None and not text.isascii():
            return Decoded(text, "utf-8", f"{who} declares {codec}, but its bytes are UTF-8")
        if not isinstance(decoded := _decode_as(data, codec), UnicodeDecodeError):
            return Decoded(decoded, codec, f"declared by {who}")
    if text is not None:
        return Decoded(text, "utf-8", "UTF-8")
    if encoding is not None and not isinstance(decoded := _decode_as(data, encoding), UnicodeDecodeError):
        return Decoded(decoded, codecs.lookup(encoding).name, "--encoding")
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252", "windows-1252 fallback")


def _nul_diagnosis(data: bytes) -> str:
    """Say why a file holds NUL bytes: UTF-16 saved without a byte-order mark, or binary."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(sample) >= 4 and max(even, odd) >= 0.4 * (len(sample) / 2) and min(even, odd) == 0:
        guess = "utf-16-le" if odd > even else "utf-16-be"
        return f"looks like UTF-16 text without a byte-order mark; pass --encoding {guess}"
    return "looks like a binary file (NUL bytes); remove it or convert it to text"


def _size(n_bytes: int) -> str:
    """A byte count as people say it: ``"200 MB"``, ``"1.5 MB"``."""
    megabytes = n_bytes / 1e6
    return f"{megabytes:.0f} MB" if megabytes >= 10 else f"{megabytes:.1f} MB"


def _too_long_line(handle: io.BufferedIOBase, path: Path, start: int, end: int | None, read_so_far: int) -> InputError:
    """The error for a line longer than :data:`MAX_LINE_BYTES`; its end is found by reading on without keeping it."""
    if end is None:
        end = read_so_far
        while chunk := handle.read(READ_CHUNK_BYTES):
            found = _LINE_BREAK.search(chunk)
            if found:
                end += found.start()
                break
            end += len(chunk)
    file_size = os.fstat(handle.fileno()).st_size
    where = "the whole file is" if start == 0 and end >= file_size else f"the line starting at byte {start} is"
    return InputError(
        f"{path}: {where} one line of {_size(end - start)} with no line breaks; this is not a text page "
        "(one paragraph per line) — split it into lines, or save HTML pages as .html"
    )


def read_bytes(path: Path, max_line_bytes: int | None = None) -> bytes:
    """Read a file's bytes, refusing lines longer than ``max_line_bytes`` while reading.

    Parameters
    ----------
    path : Path
        The file.
    max_line_bytes : int, optional
        Longest run of bytes without ``\\n`` or ``\\r`` accepted; no limit when None.

    Returns
    -------
    bytes
        The file's contents.

    Raises
    ------
    InputError
        When a line is too long (after reading at most ``max_line_bytes`` plus one chunk
        into memory), or the file cannot be read.
    """
    try:
        with open(path, "rb") as handle:
            if max_line_bytes is None:
                return handle.read()
            chunks: list[bytes] = []
            offset = line_start = 0
            while chunk := handle.read(READ_CHUNK_BYTES):
                breaks = [m.end() for m in _LINE_BREAK.finditer(chunk)]
                for position in breaks:
                    if offset + position - 1 - line_start > max_line_bytes:
                        raise _too_long_line(handle, path, line_start, offset + position - 1, offset + len(chunk))
                    line_start = offset + position
                offset += len(chunk)
                if offset - line_start > max_line_bytes:
                    raise _too_long_line(handle, path, line_start, None, offset)
                chunks.append(chunk)
            return b"".join(chunks)
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable (chmod +r) or remove it") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file; pass the folder itself as an input path") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror}); check the file") from None


def read_decoded(path: Path, encoding: str | None = None, max_line_bytes: int | None = None) -> Decoded:
    """Read and decode a text file, saying how it was decoded (see :func:`read_bytes` and :func:`decode`).

    Parameters
    ----------
    path : Path
        The file.
    encoding : str, optional
        Codec for a file that is not valid UTF-8 and declares nothing.
    max_line_bytes : int, optional
        Refuse lines longer than this (scraped pages use :data:`MAX_LINE_BYTES`).

    Returns
    -------
    Decoded
        The text and its codec.

    Raises
    ------
    InputError
        When the file cannot be read or decoded, or has a line that is too long.
    """
    return decode(read_bytes(Path(path), max_line_bytes), Path(path), encoding)


def read_text(path: Path, encoding: str | None = None, max_line_bytes: int | None = None) -> str:
    """Read and decode a text file (see :func:`read_decoded`).

    Parameters
    ----------
    path : Path
        The file.
    encoding : str, optional
        Codec for a file that is not valid UTF-8 and declares nothing.
    max_line_bytes : int, optional
        Refuse lines longer than this (scraped pages use :data:`MAX_LINE_BYTES`).

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    InputError
        When the file cannot be read or decoded, or has a line that is too long.
    """
    return read_decoded(path, encoding, max_line_bytes).text


def read_page(path: Path, encoding: str | None = None) -> str:
    """Read a scraped page: :func:`read_text` with the :data:`MAX_LINE_BYTES` limit.

    Parameters
    ----------
    path : Path
        A ``.txt`` page.
    encoding : str, optional
        Codec name.

    Returns
    -------
    str
        The decoded text.
    """
    return read_text(path, encoding, MAX_LINE_BYTES)
