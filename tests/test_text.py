"""Tests for etl.text: cleaning, folding, decoding and alias matching."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.text import AliasIndex, UnreadableText, clean, decode_bytes, fold, strip_unit_prefix, tcvn3_to_unicode
from etl.sample_data import encode_cp1258


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)




def to_cp1258(text: str) -> bytes:
    return encode_cp1258(text)


# --- clean -------------------------------------------------------------------------


def test_clean_turns_nfd_input_into_nfc():
    assert clean(nfd("Quảng Nam")) == "Quảng Nam"
    assert clean(nfd("Quảng Nam")) == unicodedata.normalize("NFC", "Quảng Nam")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("\u00d0ại Lộc", "Đại Lộc"), ("Điện B\u00e0n", "Điện Bàn"), ("\u00f0ường", "đường")],
)
def test_clean_replaces_eth_lookalikes_with_vietnamese_d(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sở\u00a0Y tế", "Sở Y tế"),
        ("Sở\u2009Y\u202ftế", "Sở Y tế"),
        ("  Sở   Y \t tế \n", "Sở Y tế"),
    ],
)
def test_clean_collapses_nbsp_thin_spaces_and_runs_of_whitespace(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [(None, ""), (12, "12"), (1.5, "1.5")])
def test_clean_converts_non_strings_and_none(raw, expected):
    assert clean(raw) == expected


# --- fold --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("TP. Tam Kỳ", "tp tam ky"),
        ("UBND huyện Đại Lộc", "ubnd huyen dai loc"),
        ("\u00d0ại Lộc", "dai loc"),
        ("Sở Thông tin & Truyền thông", "so thong tin truyen thong"),
        ("Quế  Sơn–Nông Sơn", "que son nong son"),
        ("", ""),
    ],
)
def test_fold_lowercases_removes_diacritics_and_punctuation(raw, expected):
    assert fold(raw) == expected


def test_fold_gives_the_same_key_for_nfc_and_nfd():
    assert fold(nfd("Thăng Bình")) == fold("Thăng Bình") == "thang binh"


# --- strip_unit_prefix -------------------------------------------------------------


@pytest.mark.parametrize(
    ("folded", "expected"),
    [
        ("ubnd huyen dai loc", "dai loc"),
        ("uy ban nhan dan thanh pho tam ky", "tam ky"),
        ("tp tam ky", "tam ky"),
        ("thi xa dien ban", "dien ban"),
        ("tx dien ban", "dien ban"),
        ("h dai loc", "dai loc"),
        ("quan hai chau", "hai chau"),
        ("ubnd tinh quang nam", "quang nam"),
        ("quang nam", "quang nam"),
    ],
)
def test_strip_unit_prefix_removes_leading_administrative_words(folded, expected):
    assert strip_unit_prefix(folded) == expected


@pytest.mark.parametrize(("folded", "expected"), [("huyen", "huyen"), ("ubnd huyen", "huyen"), ("tp", "tp")])
def test_strip_unit_prefix_keeps_a_name_that_is_only_a_prefix(folded, expected):
    assert strip_unit_prefix(folded) == expected


# --- decode_bytes ------------------------------------------------------------------


def test_decode_bytes_reads_plain_utf8():
    assert decode_bytes("Kỳ báo cáo;Đơn vị".encode("utf-8")) == ("Kỳ báo cáo;Đơn vị", "utf-8")


def test_decode_bytes_strips_the_utf8_bom():
    assert decode_bytes(b"\xef\xbb\xbf" + "Đơn vị".encode("utf-8")) == ("Đơn vị", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_bytes_reads_utf16_with_bom(codec):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    data = bom + "STT\tĐơn vị\tTổng số\r\n1\tSở Y tế\t1204".encode(codec)
    assert decode_bytes(data) == ("STT\tĐơn vị\tTổng số\r\n1\tSở Y tế\t1204", "utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_bytes_recognises_utf16_without_bom(codec):
    text = "STT\tĐơn vị\tTổng số\r\n1\tSở Y tế\t1204\r\n2\tTP. Tam Kỳ\t870"
    assert decode_bytes(text.encode(codec)) == (text, "utf-16")


@pytest.mark.parametrize("word", ["Quảng Nam", "Tháng 3", "Điện Bàn", "Tổng cộng", "Sở Y tế"])
def test_decode_bytes_reads_windows_1258_as_nfc(word):
    assert decode_bytes(to_cp1258(word)) == (word, "cp1258")


def test_decode_bytes_reads_the_nfd_cp1258_encoding_of_quang_nam():
    data = nfd("Quảng Nam").encode("cp1258")
    assert data == b"Qua\xd2ng Nam"
    assert decode_bytes(data) == ("Quảng Nam", "cp1258")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Qu\xb6ng Nam", "Quảng Nam"),
        (b"Th\xb8ng 3/2024", "Tháng 3/2024"),
        (b"\xa7\xb5 N\xbdng", "Đà Nẵng"),
        (b"\xa7i\xd6n B\xb5n", "Điện Bàn"),
        (b"T\xe6ng c\xe9ng", "Tổng cộng"),
        (b"Tr\xad\xeang", "Trường"),
        (b"S\xeb Y t\xd5", "Sở Y tế"),
    ],
)
def test_tcvn3_table_decodes_known_words(data, expected):
    assert tcvn3_to_unicode(data) == expected


def test_decode_bytes_detects_tcvn3():
    data = b"STT;\xa7\xacn v\xde;T\xe6ng s\xe8\nQu\xb6ng Nam;Th\xb8ng 3"
    assert decode_bytes(data) == ("STT;Đơn vị;Tổng số\nQuảng Nam;Tháng 3", "tcvn3")


def test_decode_bytes_rejects_binary_data_with_nul_bytes():
    with pytest.raises(UnreadableText):
        decode_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe\x00\x01\x02\x03")


def test_unreadable_text_is_a_value_error():
    assert issubclass(UnreadableText, ValueError)


def test_decode_bytes_reads_empty_data_as_empty_utf8():
    assert decode_bytes(b"") == ("", "utf-8")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_decode_bytes_raises_only_unreadable_text(data):
    try:
        text, encoding = decode_bytes(data)
    except UnreadableText:
        return
    assert isinstance(text, str)
    assert encoding in {"utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_decode_bytes_round_trips_any_utf8_text_without_nul(text):
    text = text.replace("\x00", "")
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # lone surrogates are not valid UTF-8
    decoded, encoding = decode_bytes(data)
    if encoding in ("utf-8", "utf-8-sig"):
        assert decoded == text.removeprefix("\ufeff")


# --- AliasIndex --------------------------------------------------------------------

UNITS = [
    ("502", "TP. Tam Kỳ"),
    ("502", "Thành phố Tam Kỳ"),
    ("503", "TP. Hội An"),
    ("507", "Huyện Đại Lộc"),
    ("508", "Thị xã Điện Bàn"),
    ("509", "Huyện Quế Sơn"),
    ("519", "Huyện Nông Sơn"),
    ("SYT", "Sở Y tế"),
]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TP. Tam Kỳ", "502"),
        ("tp tam ky", "502"),
        (nfd("Thành phố Tam Kỳ"), "502"),
        ("\u00d0ại Lộc", "507"),
        ("UBND huyện Đại Lộc", "507"),
        ("Điện Bàn", "508"),
        ("TX. Điện Bàn", "508"),
        ("SỞ Y TẾ", "SYT"),
    ],
)
def test_alias_index_matches_folded_and_prefix_stripped_names(text, code):
    assert AliasIndex(UNITS, strip_prefixes=True).match(text) == code


def test_alias_index_without_prefix_stripping_needs_the_whole_name():
    index = AliasIndex(UNITS, strip_prefixes=False)
    assert index.match("Huyện Đại Lộc") == "507"
    assert index.match("Đại Lộc") is None


def test_alias_index_returns_none_for_unknown_names():
    assert AliasIndex(UNITS, strip_prefixes=True).match("Huyện Phú Ninh") is None


def test_alias_index_does_not_guess_between_two_codes_for_one_key():
    index = AliasIndex([("A", "Sơn"), ("B", "Sơn")])
    assert index.match("Sơn") is None


def test_alias_index_suggests_the_closest_alias_for_a_typo():
    assert AliasIndex(UNITS, strip_prefixes=True).suggest("Huyen Dai Loc.")[0] == "Huyện Đại Lộc"
    assert AliasIndex(UNITS, strip_prefixes=True).suggest("Dai Lok")[0] == "Huyện Đại Lộc"


def test_alias_index_suggests_one_alias_per_code():
    suggestions = AliasIndex(UNITS, strip_prefixes=True).suggest("Tam Ky", limit=5)
    assert suggestions[0] in ("TP. Tam Kỳ", "Thành phố Tam Kỳ")
    assert not {"TP. Tam Kỳ", "Thành phố Tam Kỳ"} <= set(suggestions)


def test_alias_index_suggest_respects_the_limit():
    assert len(AliasIndex(UNITS, strip_prefixes=True).suggest("Huyện Sơn", limit=2)) <= 2


def test_alias_index_suggests_nothing_for_unrelated_text():
    assert AliasIndex(UNITS, strip_prefixes=True).suggest("xyzzy qwerty") == []
