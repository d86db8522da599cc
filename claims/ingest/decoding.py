"""Bytes to text: UTF-8 first, then the Western encodings French files come in, never a guess.

A file in another encoding is read only when its decoding looks like French text; anything
else is refused with a message, never garbled.
"""

from __future__ import annotations

import codecs
from typing import Optional

# Encodings accepted for non-UTF-8 text, by the name we report. latin-1 is read as cp1252, its
# superset for printable text (cp1252 has ’ “ ” œ where latin-1 has control characters).
_WESTERN = {"cp1252": "cp1252", "windows_1252": "cp1252", "latin_1": "cp1252",
            "iso8859_1": "cp1252", "iso8859_15": "iso8859_15", "mac_roman": "mac_roman"}
# Characters a French text may hold beyond ASCII; used to tell a right decoding from mojibake.
_FRENCH_EXTRA = set(
    "àâäáãåæçéèêëíìîïñóòôöõøœúùûüýÿßÀÂÄÁÃÅÆÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØŒÚÙÛÜÝŸ"
    "«»“”‘’„–—…•·°©®™§¶€£$¥¢²³¹½¼¾×÷±µ\u00a0\u202f\u2009\ufeff")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class DecodeError(ValueError):
    """Bytes that cannot be read as text; the message says why."""


def decode_text(data: bytes) -> tuple[str, Optional[str]]:
    """Decode article bytes; return the text and the encoding if it was not UTF-8.

    Raises:
        DecodeError: for binary data, or bytes whose encoding cannot be told reliably.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise DecodeError(f"invalid {encoding} text ({error.reason})") from None
            return text, None if encoding == "utf-8-sig" else encoding
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only needed for the rare non-UTF-8 file

    guesses = [m.encoding for m in from_bytes(data)]
    # charset-normalizer often ranks cp1250 first on short French text (à → ŕ), and mac_roman
    # turns cp1252 accents into other accents: so cp1252 (by far the most common) goes first,
    # and each decoding must look like French text.
    for encoding in dict.fromkeys(_WESTERN.get(g) for g in ["cp1252", *guesses, "iso8859_15",
                                                            "mac_roman"] if g in _WESTERN):
        text = data.decode(encoding, errors="replace")
        if "\ufffd" not in text and _looks_french(text):
            return text, encoding
    best = f" (charset-normalizer guessed {guesses[0]})" if guesses else ""
    raise DecodeError(f"not UTF-8 and the encoding could not be told reliably{best}; "
                      "convert the file to UTF-8")


def _looks_french(text: str) -> bool:
    extra = [c for c in text if ord(c) > 127]
    return sum(c in _FRENCH_EXTRA for c in extra) >= 0.98 * len(extra)
