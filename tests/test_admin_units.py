"""etl.admin_units and `python -m etl reference`: units of a province from vietnamadminunits 1.0.4.

Counts come from the package's own dataset; 94 / 38 / 124 current units are also
checked literally because they are published facts.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("vietnamadminunits")

from etl import admin_units as A  # noqa: E402
from etl.cli import main  # noqa: E402
from etl.reference import Catalogue  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ds() -> A.Dataset:
    return A.load_dataset()


@pytest.fixture(scope="module")
def da_nang(ds) -> A.ProvinceReference:
    return A.build_province("48", ds)


def legacy_of(ds, *province_codes):
    return [r for r in ds.legacy if r["provinceCode"] in province_codes]


def by_code(ref):
    return {u["code"]: u for u in ref.units}


def test_the_dataset_has_34_provinces_and_3321_current_units(ds):
    assert len(A.provinces(ds)) == 34
    assert len(ds.current) == 3321


@pytest.mark.parametrize("query", ["48", "048", "Thành phố Đà Nẵng", "Đà Nẵng", "da nang", "TP. Đà Nẵng",
                                   "Tha\u0300nh pho\u0302\u0301 \u0110a\u0300 N\u0103\u0303ng"])
def test_a_province_is_found_by_code_name_short_or_folded_name(ds, query):
    assert A.find_province(query, ds).code == "48"


@pytest.mark.parametrize("query, merged", [("Quảng Nam", "48"), ("Đà Nẵg", None), ("zzz", None)])
def test_an_unknown_province_lists_near_matches_in_both_languages(ds, query, merged):
    with pytest.raises(A.UnknownProvince) as exc:
        A.find_province(query, ds)
    text = str(exc.value)
    assert "Không có tỉnh" in text and "No current province" in text
    if merged:
        assert exc.value.merged_into.startswith(merged)
    if query == "Đà Nẵg":
        assert exc.value.suggestions[0] == "Thành phố Đà Nẵng"


def test_da_nang_48_is_the_former_da_nang_and_quang_nam(ds, da_nang):
    units = by_code(da_nang)
    legacy = legacy_of(ds, "48", "49")
    communes = [r for r in legacy if r["ward"]]
    assert len(da_nang.current_communes()) == 94 == sum(r["provinceCode"] == "48" for r in ds.current)
    assert [u["code"] for u in da_nang.of_kind("province")] == ["48", "cu-48", "49"]
    assert (units["cu-48"]["successor"], units["49"]["successor"]) == ("48", "48")
    assert units["cu-48"]["valid_to"] == units["49"]["valid_to"] == "2025-06-30"
    assert units["48"]["valid_from"] == "2025-07-01"
    assert len(da_nang.of_kind("city", "town", "district")) == len({r["districtCode"] for r in legacy})
    assert len(da_nang.of_kind("former_commune")) == len(communes)
    assert {u["code"] for u in da_nang.of_kind("former_commune")} == {"cu-" + r["wardCode"] for r in communes}
    # Quảng Nam's districts keep the codes data/reference/units.csv uses (519 Nông Sơn is not in the dataset)
    assert {str(c) for c in range(502, 519)} <= set(units) and "519" not in units
    assert units["502"]["kind"] == "city" and units["502"]["parent"] == "49"
    assert units["507"]["kind"] == "town" and units["513"]["name_en"] == "Thang Binh District"


def test_lai_chau_12_did_not_merge_and_its_former_province_is_cu_12(ds):
    ref = A.build_province("Lai Châu", ds)
    assert len(ref.current_communes()) == 38 == sum(r["provinceCode"] == "12" for r in ds.current)
    assert [u["code"] for u in ref.of_kind("province")] == ["12", "cu-12"]
    assert len(ref.of_kind("former_commune")) == sum(bool(r["ward"]) for r in legacy_of(ds, "12"))


def test_lam_dong_68_has_three_former_provinces(ds):
    ref = A.build_province("68", ds)
    old_codes = {r["provinceCode"] for r in ds.legacy if r["provinceKey"] in ds.converter["DICT_PROVINCE"]["tinhlamdong"]}
    assert len(old_codes) == 3
    assert len(ref.current_communes()) == 124 == sum(r["provinceCode"] == "68" for r in ds.current)
    formers = [u for u in ref.of_kind("province") if u["code"] != "68"]
    assert len(formers) == 3 and all(u["successor"] == "68" for u in formers)
    assert len(ref.of_kind("former_commune")) == sum(bool(r["ward"]) for r in legacy_of(ds, *old_codes))


def test_a_divided_commune_has_several_successors_and_exactly_one_default(ds, da_nang):
    divided = ds.converter["DICT_PROVINCE_WARD_DIVIDED"]["thanhphodanang"]
    old_key, news = sorted(divided.items())[0]
    row = next(r for r in ds.legacy if f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}" == old_key)
    code = "cu-" + row["wardCode"]
    rows = [s for s in da_nang.successors if s["code"] == code]
    assert len(rows) == len(news) >= 2
    assert [s["is_default"] for s in rows].count("true") == 1
    new_code = {r["wardKey"]: r["wardCode"] for r in ds.current if r["provinceCode"] == "48"}
    default = next(new_code[n["newWardKey"]] for n in news if n["isDefaultNewWard"])
    assert rows[0] == {"code": code, "successor": default, "is_default": "true"}
    assert by_code(da_nang)[code]["successor"] == default


@pytest.mark.parametrize("province", ["48", "12", "68", "92"])
def test_every_former_commune_goes_into_a_current_unit_of_the_province(ds, province):
    ref = A.build_province(province, ds)
    current = {u["code"] for u in ref.current_communes()}
    successors: dict[str, list[dict]] = {}
    for s in ref.successors:
        successors.setdefault(s["code"], []).append(s)
    for u in ref.of_kind("former_commune"):
        rows = successors[u["code"]]
        assert any(s["successor"] in current for s in rows), u
        assert [s["is_default"] for s in rows].count("true") == 1, u
        assert u["successor"] in current
    keys = [u["code"] for u in ref.units]
    assert len(keys) == len(set(keys))
    assert {s["code"] for s in ref.successors} <= set(keys)
    assert all(not u["successor"] or u["successor"] in set(keys) for u in ref.units)


def test_rows_are_nfc_with_the_units_csv_columns_and_english_names(da_nang):
    units = by_code(da_nang)
    for u in da_nang.units:
        assert tuple(u) == A.UNIT_COLUMNS
        assert all(unicodedata.normalize("NFC", v) == v for v in u.values())
        assert u["name_en"].isascii(), u
    hai_chau = next(u for u in da_nang.current_communes() if u["name_vi"] == "Phường Hải Châu")
    assert hai_chau["name_en"] == "Hai Chau Ward"
    tam_thang = next(u for u in da_nang.of_kind("former_commune") if u["name_vi"] == "Xã Tam Thăng")
    assert tam_thang["name_en"] == "Tam Thang Commune" and tam_thang["parent"] == "502"
    assert {"Xã Tam Thăng, TP Tam Kỳ", "Tam Thăng - Tam Kỳ", "UBND xã Tam Thăng"} <= set(tam_thang["aliases"].split("|"))
    assert units["49"]["name_en"] == "Quang Nam Province" and units["502"]["name_en"] == "Tam Ky City"
    assert any(u["name_en"].endswith("Special Zone") for u in da_nang.current_communes())  # Hoàng Sa


def test_building_is_deterministic(ds):
    assert A.build_province("92", ds) == A.build_province("Cần Thơ", ds)


def test_departments_csv_keeps_the_codes_of_units_csv_and_cites_decree_45():
    def rows(name):
        with (ROOT / "data" / "reference" / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    old = {r["code"]: r for r in rows("units.csv") if r["kind"] == "department"}
    deps = {r["code"]: r for r in rows("departments.csv")}
    assert set(old) <= set(deps)
    for code, r in old.items():
        assert (deps[code]["name_vi"], deps[code]["valid_to"], deps[code]["successor"]) == (
            r["name_vi"], r["valid_to"], r["successor"]) or code == "BDT"
    assert (deps["BDT"]["valid_to"], deps["BDT"]["successor"]) == ("2025-02-28", "SDTTG")
    assert deps["SDTTG"]["valid_from"] == deps["SNNMT"]["valid_from"] == "2025-03-01"
    assert all("45/2025/NĐ-CP" in r["source"] and "http" in r["source"] for r in deps.values())
    assert all(not r["successor"] or r["successor"] in deps for r in deps.values())


def test_the_cli_writes_a_folder_the_catalogue_opens(tmp_path, capsys):
    out = tmp_path / "ref"
    assert main(["reference", "--province", "48", "--province", "Cần Thơ", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "48: " in printed and "commune 94" in printed and "92: " in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "breakdowns.csv", "indicator_aliases.csv", "indicators.csv", "unit_successors.csv", "units.csv"]
    cat = Catalogue(out)
    kinds = Counter(u.kind for u in cat.units.values())
    assert kinds["commune"] == 94 + 103 and kinds["department"] == 22
    assert cat.units["49"].successor == "48" and cat.units["94"].successor == "92"
    assert cat.units["cu-92"].successor == "92" and cat.units["cu-92"].kind == "province"
    assert cat.successors("49") == [("48", True)] and cat.successors("SKHDT") == [("STC", True)]
    assert cat.unit_index.match("Xã Tam Thăng, TP Tam Kỳ") == cat.unit_index.match("Tam Thăng - Tam Kỳ")
    assert cat.unit_index.match("TP. Tam Kỳ") == "502"
    divided = [c for c in cat.units if len(cat.successors(c)) > 1]
    assert divided and all([d for _, d in cat.successors(c)] == [True] + [False] * (len(cat.successors(c)) - 1)
                           for c in divided)
    # the committed reference folder has no unit_successors.csv: successors fall back to units.csv
    assert Catalogue().successors("519") == [("509", True)]


def test_the_cli_exits_2_for_an_unknown_province(tmp_path, capsys):
    assert main(["reference", "--province", "Quảng Nam", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "48 Thành phố Đà Nẵng" in err and "Near matches" in err
    assert not (tmp_path / "units.csv").exists()
