"""Offline geocoding (reader.geo): spellings, kinds, disambiguation by context, and the
places that cannot be placed being reported, not dropped."""

from __future__ import annotations

from importlib import resources

import pytest

from reader.geo import Place, geocode, load_gazetteer
from reader.geo.gazetteer import Gazetteer, km, parse_row
from reader.geo.names import region_base, skeleton


def town(name: str, cc: str, pop: int, lat: float, lon: float, *alts: str) -> Place:
    return Place(name, "settlement", cc, pop, lat, lon, (name, *alts))


def region(name: str, cc: str, lat: float, lon: float, *alts: str) -> Place:
    return Place(name, "region", cc, 0, lat, lon, (name, *alts))


WORLD = Gazetteer.from_places([
    town("Pokrovsk", "UA", 60127, 48.2801, 37.1771, "Krasnoarmiisk"),
    town("Pokrovsk", "RU", 9763, 61.4792, 129.1386),
    town("Engels", "RU", 196011, 51.4839, 46.1053, "Pokrovsk"),
    town("Yakutsk", "RU", 235600, 62.0339, 129.7331),
    town("Sloviansk", "UA", 105141, 48.85, 37.597, "Slovyansk"),
    town("Kharkiv", "UA", 1433886, 49.982, 36.255, "Kharkov"),
    town("Mykolaivka", "UA", 3400, 48.8667, 37.7167),  # by Sloviansk
    town("Mykolaivka", "UA", 4100, 46.1650, 30.3000),  # by Odesa
    town("Mykolaivka", "UA", 3900, 48.2500, 34.1000),  # Dnipropetrovsk
    town("Kupiansk", "UA", 27169, 49.71, 37.616, "Kupyansk"),
    town("Hlyboke", "UA", 1232, 45.7304, 29.6085),
    town("Chuhuiv", "UA", 31000, 49.835, 36.687),
    town("Schwäbisch Hall", "DE", 36543, 49.111, 9.739, "Hall"),
    region("Kharkiv Oblast", "UA", 49.99, 36.23, "Kharkiv region"),
    region("Donetsk Oblast", "UA", 48.0, 37.8, "Donetsk region"),
    Place("Russia", "country", "RU", 0, 60.0, 100.0, ("Russia", "Russian Federation")),
])


def placed(names, gaz=WORLD):
    return {p.name: p.place for p in geocode(names, gaz)}


def test_spellings_fold_to_one_place():
    for name in ("Kupiansk", "Kupyansk", "Kup'yansk", "Kupjansk", "KUPIANSK", "Kupiansk's"):
        got = placed([name])[name]
        assert got is not None and got.name == "Kupiansk", name
    assert skeleton("Kup’yansk") == skeleton("Kupiansk")


def test_pokrovsk_by_context():
    donbas = placed(["Pokrovsk", "Donetsk Oblast"])["Pokrovsk"]
    assert donbas is not None and donbas.country == "UA"
    yakutia = placed(["Pokrovsk", "Yakutsk"])["Pokrovsk"]
    assert yakutia is not None and (yakutia.country, yakutia.lon) == ("RU", 129.1386)
    # Engels was once Pokrovsk: an old name does not beat the town that bears it today.
    alone = placed(["Pokrovsk"])["Pokrovsk"]
    assert alone is not None and alone.name == "Pokrovsk" and alone.country == "UA"


def test_namesake_chosen_near_the_other_places():
    got = placed(["Mykolaivka", "Sloviansk"])["Mykolaivka"]
    assert got is not None and km(got.lat, got.lon, 48.85, 37.597) < 30


def test_far_small_namesake_is_reported_not_placed():
    result = geocode(["Kharkiv", "Hlyboke", "Kupiansk", "Nowhereivka"], WORLD)
    assert [p.name for p in result] == ["Kharkiv", "Hlyboke", "Kupiansk", "Nowhereivka"]
    by = {p.name: p for p in result}
    assert by["Hlyboke"].place is None and "far" in by["Hlyboke"].note
    assert by["Nowhereivka"].place is None and by["Nowhereivka"].note == "not in the gazetteer"
    assert by["Kharkiv"].placed and by["Kupiansk"].placed


def test_rivers_and_structures_are_not_towns():
    gaz = Gazetteer.from_places([town("Oskil", "UA", 3217, 49.178, 37.426)])
    result = geocode(["Oskil river", "Oskil", "Oskil Bridge"], gaz)
    assert [p.placed for p in result] == [False, True, False]
    assert "river" in result[0].note


def test_alternate_name_far_away_is_not_trusted():
    assert placed(["Hall", "Kharkiv"])["Hall"] is None


def test_region_and_country_kinds():
    got = placed(["Kharkiv Oblast", "Kharkiv", "Russian Federation", "Chuhuivskyi"])
    assert got["Kharkiv Oblast"] is not None and got["Kharkiv Oblast"].kind == "region"
    assert got["Kharkiv"] is not None and got["Kharkiv"].kind == "settlement"
    assert got["Russian Federation"] is not None and got["Russian Federation"].kind == "country"
    district = got["Chuhuivskyi"]
    assert district is not None and district.kind == "district" and district.lat == 49.835
    assert region_base("Kharkiv Oblast") == "Kharkiv" and region_base("Kharkiv") is None


def test_hostile_names_are_just_unplaced():
    names = ["[bold red]Kyiv[/]", "\x1b[31mKharkiv", "", "   ", "a|b\tc", "X" * 5000]
    result = geocode(names, WORLD)
    assert len(result) == len(names)
    assert all(p.place is None for p in result)


def test_settlements_of_a_country_largest_first():
    towns = WORLD.settlements("UA")
    assert towns[0].name == "Kharkiv" and "Yakutsk" not in {t.name for t in towns}
    pops = [t.population for t in towns]
    assert pops == sorted(pops, reverse=True)


def test_malformed_rows_are_skipped():
    assert parse_row("s\tUA\t\tx\t1\t2\tName\tname") is None
    assert parse_row("q\tUA\t\t1\t1\t2\tName\tname") is None
    assert parse_row("s\tUA\t\t1\t1\t2\t\t") is None
    assert parse_row("s\tUA\t5\t1.5\t2.5\tName|Alt\tname|alt") is None  # a column short
    ok = parse_row("s\tUA\tUA.07\t5\t1.5\t2.5\tName|Alt\tname|alt")
    assert ok is not None and ok.names == ("Name", "Alt") and ok.lat == 1.5
    assert ok.region == "UA.07" and not ok.approx
    village = parse_row("v\tUA\tUA.07\t0\t1.5\t2.5\tName\tname")
    assert village is not None and village.kind == "settlement" and village.approx


def village(name: str, region_code: str, lat: float, lon: float) -> Place:
    return Place(name, "settlement", "UA", 0, lat, lon, (name,), region_code, approx=True)


def test_a_cluster_of_villages_outweighs_a_far_city_of_the_same_name():
    # Front-line lists name villages in pairs; Makiivka here is the village among them,
    # not the city of 340,000 by Donetsk that bears the same name.
    gaz = Gazetteer.from_places([
        town("Kupiansk", "UA", 27169, 49.71, 37.616),
        town("Makiivka", "UA", 338968, 48.048, 37.926, "Makiyivka"),
        village("Makiivka", "UA.14", 49.246, 38.116),
        village("Ploshchanka", "UA.14", 49.246, 38.116),
        village("Stelmakhivka", "UA.14", 49.48, 38.08),
        village("Myasozharivka", "UA.14", 49.43, 38.0),
        village("Kolomyichykha", "UA.14", 49.448, 37.972),
        village("Stelmakhivka", "UA.05", 47.9, 37.0),  # a namesake far off
    ])
    story = ["Kupiansk", "Kolomyichykha", "Stelmakhivka", "Myasozharivka", "Ploshchanka",
             "Makiivka"]
    got = placed(story, gaz)
    assert got["Makiivka"] is not None and km(got["Makiivka"].lat, got["Makiivka"].lon,
                                              49.246, 38.116) < 1
    assert got["Stelmakhivka"] is not None and got["Stelmakhivka"].region == "UA.14"
    # Named with places around Donetsk, Makiivka is the city.
    city = placed(["Donetsk", "Makiivka", "Horlivka"], Gazetteer.from_places([
        town("Donetsk", "UA", 901645, 48.023, 37.802),
        town("Horlivka", "UA", 239828, 48.336, 38.053),
        town("Makiivka", "UA", 338968, 48.048, 37.926, "Makiyivka"),
        village("Makiivka", "UA.14", 49.246, 38.116)]))["Makiivka"]
    assert city is not None and city.population == 338968


def test_a_city_outweighs_a_hamlet_of_its_name_in_the_region_the_story_names():
    gaz = Gazetteer.from_places([
        town("Poltava", "UA", 279593, 49.589, 34.551),
        village("Poltava", "UA.07", 49.656, 37.254),
        town("Izium", "UA", 45884, 49.207, 37.277),
        town("Kharkiv", "UA", 1433886, 49.982, 36.255),
        Place("Kharkiv Oblast", "region", "UA", 0, 49.99, 36.23, ("Kharkiv Oblast",), "UA.07"),
    ])
    got = placed(["Kharkiv", "Kharkiv Oblast", "Izium", "Poltava"], gaz)["Poltava"]
    assert got is not None and got.population == 279593


def test_the_region_a_story_names_picks_the_namesake_in_it():
    gaz = Gazetteer.from_places([
        Place("Verbivka", "settlement", "UA", 3507, 49.487, 36.83, ("Verbivka",), "UA.07"),
        Place("Verbivka", "settlement", "UA", 3600, 48.898, 24.261, ("Verbivka",), "UA.06"),
        Place("Kharkiv Oblast", "region", "UA", 0, 49.99, 36.23, ("Kharkiv Oblast",), "UA.07"),
    ])
    got = placed(["Verbivka", "Kharkiv Oblast"], gaz)["Verbivka"]
    assert got is not None and got.region == "UA.07"


def test_a_town_outside_the_region_named_outweighs_a_village_inside_it():
    # A developing story names Kharkiv region, and Lyman by Sloviansk (20,000 people, in
    # Donetsk Oblast), not the village of Lyman by Zmiiv in Kharkiv Oblast.
    gaz = Gazetteer.from_places([
        Place("Lyman", "settlement", "UA", 20066, 48.990, 37.808, ("Lyman",), "UA.05"),
        Place("Lyman", "settlement", "UA", 4008, 49.594, 36.465, ("Lyman",), "UA.07"),
        Place("Sloviansk", "settlement", "UA", 105141, 48.85, 37.597, ("Sloviansk",), "UA.05"),
        Place("Balakliia", "settlement", "UA", 26334, 49.456, 36.844, ("Balakliia",), "UA.07"),
        Place("Kharkiv Oblast", "region", "UA", 0, 49.99, 36.23, ("Kharkiv region",), "UA.07"),
    ])
    got = placed(["Balakliia", "Kharkiv region", "Lyman", "Sloviansk"], gaz)["Lyman"]
    assert got is not None and got.population == 20066


def test_a_region_outweighs_a_village_of_its_name():
    gaz = Gazetteer.from_places([
        town("Chechnya", "UA", 1350, 48.753, 37.625),
        region("Chechen Republic", "RU", 43.4, 45.72, "Chechnya"),
        town("Lyman", "UA", 20066, 48.99, 37.808),
    ])
    got = placed(["Lyman", "Chechnya"], gaz)["Chechnya"]
    assert got is not None and got.kind == "region" and got.country == "RU"


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_shipped_gazetteer_places_the_front_line(gazetteer):
    got = {p.name: p.place for p in geocode(
        ["Pokrovsk", "Donetsk Oblast", "Bakhmut", "Artemivsk", "Chasiv Yar", "Toretsk",
         "Kupyansk", "Zaporizhzhya", "Kharkov", "Russian Federation", "Türkiye"], gazetteer)}
    for name, (lat, lon) in {"Pokrovsk": (48.28, 37.18), "Bakhmut": (48.59, 38.0),
                             "Chasiv Yar": (48.59, 37.84), "Toretsk": (48.39, 37.85),
                             "Kupyansk": (49.71, 37.62), "Kharkov": (49.99, 36.23)}.items():
        p = got[name]
        assert p is not None and p.country == "UA" and km(p.lat, p.lon, lat, lon) < 25, name
    art = got["Artemivsk"]  # Bakhmut's name until 2016
    assert art is not None and km(art.lat, art.lon, 48.59, 38.0) < 25
    assert got["Russian Federation"] is not None and got["Russian Federation"].country == "RU"
    assert got["Türkiye"] is not None and got["Türkiye"].country == "TR"
    yakutia = geocode(["Pokrovsk", "Yakutsk"], gazetteer)[0].place
    assert yakutia is not None and yakutia.country == "RU" and yakutia.lon > 120


def test_packed_file_finds_every_key_and_row():
    from reader.geo.blocks import KEYS_PER_BLOCK, ROWS_PER_BLOCK, BlockFile, pack

    n = ROWS_PER_BLOCK * 3 + 5  # several blocks, the last one short
    rows = [f"row {i}" for i in range(n)]
    keys = [[f"k{i:04d}", f"shared{i % 7}"] for i in range(n)]
    packed = BlockFile(pack(rows, keys))
    assert packed.count == n and list(packed.rows()) == rows
    assert n * 2 > KEYS_PER_BLOCK  # the index spans blocks too
    for i in (0, 1, ROWS_PER_BLOCK, n - 1):
        assert packed.ids(f"k{i:04d}") == [i] and packed.row(i) == f"row {i}"
    assert packed.ids("shared3") == [i for i in range(n) if i % 7 == 3]
    assert packed.ids("k") == [] and packed.ids("") == [] and packed.ids("zzz") == []
    with pytest.raises(ValueError):
        BlockFile(b"not a gazetteer")


def test_shipped_gazetteer_reads_only_the_blocks_a_lookup_needs():
    from reader.geo.blocks import BlockFile
    from reader.geo.gazetteer import FILES

    folder = resources.files("reader.geo").joinpath("data")
    packed = BlockFile(folder.joinpath(FILES[0]).read_bytes())
    assert packed.count > 80_000 and not packed._row_cache and not packed._key_cache
    gaz = Gazetteer(tables=[packed])
    hits = gaz.lookup("Kupyansk")
    assert any(km(h.place.lat, h.place.lon, 49.71, 37.616) < 5 for h in hits)
    assert len(packed._key_cache) == 1 and len(packed._row_cache) <= 2
