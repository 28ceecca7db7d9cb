"""Text helpers for hand-made Vietnamese report files.

Offices type names in NFC or NFD, use the look-alike ``Ð`` (U+00D0, Icelandic eth)
for ``Đ`` (U+0110), leave double or non-breaking spaces, and old files come in
Windows-1258 or even TCVN3 (the "ABC" font encoding).  This module turns all of that
into one clean form (:func:`clean`), a matching key (:func:`fold`), and finds codes for
names typed in many ways (:class:`AliasIndex`).

Everything here is pure: no I/O, no global state.

>>> clean('  Ð\u1ea1i   L\u00f4\u0323c ')
'Đại Lộc'
>>> fold('TP. Tam Kỳ')
'tp tam ky'
>>> strip_unit_prefix('ubnd huyen dai loc')
'dai loc'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process

__all__ = [
    "UnreadableText",
    "clean",
    "fold",
    "strip_unit_prefix",
    "decode_bytes",
    "tcvn3_to_unicode",
    "AliasIndex",
]


class UnreadableText(ValueError):
    """The bytes are not text in any encoding we know (e.g. a binary file)."""


# Characters that look like the Vietnamese letters but are not: offices copy them
# from old fonts or type them on Icelandic/Nordic keyboard layouts.
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

# Any Unicode whitespace (\s covers NBSP U+00A0, thin space U+2009, narrow NBSP U+202F,
# ideographic space...), plus zero-width characters that Excel users paste in.
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def clean(s: object) -> str:
    """Return ``s`` as tidy NFC text with single spaces.

    - NFC-normalises (so NFD input compares equal to NFC input),
    - replaces the look-alikes ``Ð``/``ð`` (U+00D0/U+00F0) by ``Đ``/``đ``,
    - turns any run of whitespace (NBSP, thin spaces, tabs, new lines) into one space,
    - strips both ends.

    ``None`` gives ``''``; other non-strings are converted with ``str`` first.

    >>> clean('S\u01a1\u0309  Y\u00a0t\u1ebf ')
    'Sở Y tế'
    >>> clean('ÐIỆN BÀN')
    'ĐIỆN BÀN'
    >>> clean(None), clean(12)
    ('', '12')
    """
    if s is None:
        return ""
    if not isinstance(s, str):
        s = str(s)
    s = unicodedata.normalize("NFC", s).translate(_LOOKALIKES)
    return _SPACES.sub(" ", s).strip()


# Punctuation and symbols become spaces in a matching key; "_" is a \w character in
# Python regexes, so it is listed explicitly.
_NON_WORD = re.compile(r"[^\w\s]|_")


def fold(s: object) -> str:
    """Return a matching key: clean, lower case, no diacritics, no punctuation.

    ``đ`` becomes ``d`` (it is a letter of its own, not a base letter with a mark, so
    Unicode decomposition alone would keep it).

    >>> fold('TP. Tam Kỳ')
    'tp tam ky'
    >>> fold('UBND huyện Đại Lộc')
    'ubnd huyen dai loc'
    >>> fold('Sở Thông tin & Truyền thông')
    'so thong tin truyen thong'
    """
    s = clean(s).lower().replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _NON_WORD.sub(" ", s)
    return " ".join(s.split())


# Longest first, so that "thanh pho" is removed before "tp"-like one-word prefixes are
# tried, and "uy ban nhan dan" before anything else.
_UNIT_PREFIXES = tuple(
    sorted(
        (
            ("uy", "ban", "nhan", "dan"),
            ("ubnd",),
            ("thanh", "pho"),
            ("tp",),
            ("thi", "xa"),
            ("tx",),
            ("huyen",),
            ("h",),
            ("quan",),
            ("tinh",),
        ),
        key=len,
        reverse=True,
    )
)


def strip_unit_prefix(folded: str) -> str:
    """Remove leading administrative words from a folded unit name.

    Removes, repeatedly, ``ubnd``, ``uy ban nhan dan``, ``thanh pho``, ``tp``,
    ``thi xa``, ``tx``, ``huyen``, ``h``, ``quan`` and ``tinh``, but never the last
    word(s): a name that is only a prefix is returned unchanged from that point.
    Works on whole words, so ``quang nam`` keeps its ``quang``.

    >>> strip_unit_prefix('ubnd huyen dai loc')
    'dai loc'
    >>> strip_unit_prefix('tp tam ky')
    'tam ky'
    >>> strip_unit_prefix('huyen')
    'huyen'
    """
    words = folded.split()
    changed = True
    while changed:
        changed = False
        for prefix in _UNIT_PREFIXES:
            n = len(prefix)
            # "len(words) > n": keep something; a unit is never called just "Huyện".
            if len(words) > n and tuple(words[:n]) == prefix:
                words = words[n:]
                changed = True
                break
    return " ".join(words)


# --- decoding ---------------------------------------------------------------------

# TCVN 5712:1993 (VN1) bytes 0x80..0xFF -> Unicode code points, generated from glibc
# iconv's TCVN5712-1 table.  TCVN3 ("ABC" fonts, VN3) is the subset without the
# upper-case toned letters; using the VN1 table for every high byte is a superset and
# keeps those rare bytes meaningful instead of turning them into Windows symbols.
# Bytes 0xB0..0xB4 are combining tone marks, so the result is NFC-normalised.
# Spot checks: 0xB8 'á', 0xB5 'à', 0xB6 'ả', 0xAE 'đ', 0xA7 'Đ', 0xAC 'ơ', 0xAD 'ư'.
_TCVN3_HIGH = (
    # 0x80
    0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,
    # 0x88
    0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
    # 0x90
    0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
    # 0x98
    0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
    # 0xA0
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
    # 0xA8
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
    # 0xB0
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
    # 0xB8
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
    # 0xC0
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
    # 0xC8
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
    # 0xD0
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
    # 0xD8
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
    # 0xE0
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
    # 0xE8
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
    # 0xF0
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
    # 0xF8
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
)
_TCVN3_TABLE = {0x80 + i: chr(cp) for i, cp in enumerate(_TCVN3_HIGH)}

# High bytes that are common Vietnamese letters in TCVN3 but rare symbols in
# Windows-1258 (¨ © ª « ¬ ­ ® µ ¶ · ¸ ¹ = ă â ê ô ơ ư đ à ả ã á ạ): their share of
# the high bytes tells the two encodings apart.
_TCVN3_MARKERS = frozenset(range(0xA8, 0xAF)) | frozenset(range(0xB5, 0xBA))


def tcvn3_to_unicode(data: bytes) -> str:
    """Decode TCVN3 (VN3 / "ABC" font) bytes to NFC Unicode text.

    >>> tcvn3_to_unicode(b'Qu\\xb6ng Nam')
    'Quảng Nam'
    >>> tcvn3_to_unicode(b'Th\\xb8ng 3')
    'Tháng 3'
    """
    text = data.decode("latin-1").translate(_TCVN3_TABLE)
    return unicodedata.normalize("NFC", text)


def _looks_like_tcvn3(data: bytes) -> bool:
    high = [b for b in data if b >= 0x80]
    if not high:
        return False
    markers = sum(1 for b in high if b in _TCVN3_MARKERS)
    # A Windows-1258 file may hold a stray "©" or "·"; TCVN3 text is full of them.
    return markers >= 1 and markers * 4 >= len(high)


def _utf16_without_bom(data: bytes) -> str | None:
    """Return the endianness ('le'/'be') of BOM-less UTF-16 data, or None."""
    if len(data) < 2 or len(data) % 2:
        return None
    pairs = len(data) // 2
    even_nul = data[0::2].count(0)
    odd_nul = data[1::2].count(0)
    # Excel's "Unicode text" is mostly ASCII digits, tabs and Latin letters: their
    # high byte is 0, so one half of the bytes is largely NUL and the other is not.
    if odd_nul >= 0.3 * pairs and even_nul <= 0.05 * pairs:
        return "le"
    if even_nul >= 0.3 * pairs and odd_nul <= 0.05 * pairs:
        return "be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file, guessing its encoding.

    Returns ``(text, encoding)`` where ``encoding`` is one of ``'utf-8-sig'``,
    ``'utf-16'`` (with or without a BOM), ``'utf-8'``, ``'cp1258'`` or ``'tcvn3'``.
    Windows-1258 and TCVN3 text is NFC-normalised (Windows-1258 stores tone marks as
    separate combining characters); other text is returned as decoded.

    Raises :class:`UnreadableText` for binary data (NUL bytes that are not UTF-16).

    >>> decode_bytes('Tháng 3'.encode('utf-8'))
    ('Tháng 3', 'utf-8')
    >>> decode_bytes(b'\\xef\\xbb\\xbfa;b')
    ('a;b', 'utf-8-sig')
    >>> decode_bytes('Kỳ'.encode('utf-16'))
    ('Kỳ', 'utf-16')
    >>> decode_bytes(b'Qu\\xb6ng Nam')
    ('Quảng Nam', 'tcvn3')
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode_bytes needs bytes, not {type(data).__name__}")
    data = bytes(data)
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data.decode("utf-8-sig"), "utf-8-sig"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), "utf-16"
    except UnicodeDecodeError as exc:
        raise UnreadableText(f"the file starts with a byte-order mark but is not valid text: {exc}") from None
    endian = _utf16_without_bom(data)
    if endian:
        try:
            return data.decode(f"utf-16-{endian}"), "utf-16"
        except UnicodeDecodeError:
            pass  # lone surrogates: not UTF-16 after all
    if b"\x00" in data:
        raise UnreadableText("the file contains NUL bytes: it looks binary, not text (is it an Excel file with a wrong name?)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_like_tcvn3(data):
        return tcvn3_to_unicode(data), "tcvn3"
    # cp1258 leaves five bytes undefined; "replace" keeps the rest of the file readable.
    text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text), "cp1258"


# --- alias matching ---------------------------------------------------------------


class AliasIndex:
    """Find the code of a name typed in any of its known spellings.

    Built from ``(code, alias)`` pairs.  Keys are :func:`fold`-ed; with
    ``strip_prefixes=True`` (for administrative units) each alias is also indexed
    without its leading ``UBND`` / ``huyện`` / ``TP.`` words, and so is the text
    looked up.  A key that leads to two different codes is ambiguous and matches
    nothing (better to ask than to guess).

    >>> idx = AliasIndex([('502', 'TP. Tam Kỳ'), ('507', 'Huyện Đại Lộc')], strip_prefixes=True)
    >>> idx.match('UBND huyện Đại Lộc'), idx.match('Thành phố Tam Kỳ'), idx.match('Hội An')
    ('507', '502', None)
    >>> idx.suggest('Dai Loc huyen')
    ['Huyện Đại Lộc']
    """

    _AMBIGUOUS = object()

    def __init__(self, pairs: Iterable[tuple[str, str]], strip_prefixes: bool = False):
        self.strip_prefixes = strip_prefixes
        self._exact: dict[str, object] = {}
        self._stripped: dict[str, object] = {}
        # every code of a key, for callers that can choose among them (a unit by its period)
        self._all_exact: dict[str, list[str]] = {}
        self._all_stripped: dict[str, list[str]] = {}
        # (folded key, code, display alias) for fuzzy suggestions
        self._choices: list[tuple[str, str, str]] = []
        for code, alias in pairs:
            code = str(code)
            display = clean(alias)
            key = fold(alias)
            if not key:
                continue
            self._add(self._exact, key, code)
            self._add_all(self._all_exact, key, code)
            self._choices.append((key, code, display))
            if strip_prefixes:
                short = strip_unit_prefix(key)
                if short != key:
                    self._add(self._stripped, short, code)
                    self._add_all(self._all_stripped, short, code)
                    self._choices.append((short, code, display))
        self._choice_keys = [c[0] for c in self._choices]

    @classmethod
    def _add(cls, table: dict[str, object], key: str, code: str) -> None:
        old = table.get(key)
        if old is None:
            table[key] = code
        elif old != code:
            table[key] = cls._AMBIGUOUS

    @staticmethod
    def _add_all(table: dict[str, list[str]], key: str, code: str) -> None:
        codes = table.setdefault(key, [])
        if code not in codes:
            codes.append(code)

    def candidates(self, text: object) -> tuple[str, ...]:
        """Every code ``text`` may stand for: those of its exact spelling, else of its
        spelling without prefixes. More than one means the caller must choose
        (``match`` returns None then)."""
        keys = self._query_keys(text)
        for table in (self._all_exact, self._all_stripped):
            for key in keys:
                if key in table:
                    return tuple(table[key])
        return ()

    def _get(self, key: str) -> str | None:
        for table in (self._exact, self._stripped):
            hit = table.get(key)
            if hit is self._AMBIGUOUS:
                return None
            if hit is not None:
                return hit  # type: ignore[return-value]
        return None

    def _query_keys(self, text: object) -> list[str]:
        key = fold(text)
        keys = [key] if key else []
        if self.strip_prefixes and key:
            short = strip_unit_prefix(key)
            if short != key:
                keys.append(short)
        return keys

    def match(self, text: object) -> str | None:
        """Return the code whose alias equals ``text`` once folded, else ``None``."""
        for key in self._query_keys(text):
            code = self._get(key)
            if code is not None:
                return code
        return None

    def suggest(self, text: object, limit: int = 3) -> list[str]:
        """Return up to ``limit`` known aliases closest to ``text``, best first.

        One alias per code (its best-scoring spelling); only scores >= 60 with
        rapidfuzz's ``WRatio`` on folded strings.  For "did you mean ...?" messages.
        Remembered per text: a file repeats one unknown name in many rows, and the
        national catalogue has thousands of spellings to score.
        """
        memo = self.__dict__.setdefault("_suggested", {})
        if (text, limit) not in memo:
            if len(memo) > 10_000:
                memo.clear()
            memo[(text, limit)] = self._suggest(text, limit)
        return list(memo[(text, limit)])

    def _suggest(self, text: object, limit: int) -> list[str]:
        best: dict[str, tuple[float, int, str]] = {}  # code -> (score, -order, display)
        for key in self._query_keys(text):
            for _choice, score, i in process.extract(
                key, self._choice_keys, scorer=fuzz.WRatio, limit=None, score_cutoff=60
            ):
                _k, code, display = self._choices[i]
                cand = (score, -i, display)
                if code not in best or cand > best[code]:
                    best[code] = cand
        ranked = sorted(best.values(), reverse=True)
        return [display for _s, _i, display in ranked[: max(limit, 0)]]

    def __len__(self) -> int:
        return len({code for _k, code, _d in self._choices})
