"""Where-filters (country of event, radius, box) in the library, the CLI and the API; the map page."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from detente.analysis import query_events
from detente.analysis.geo import distance_km, geo_filter
from detente.cli import app, main
from detente.errors import BadOption
from detente.model import Event
from detente.store import open_store
from detente.web import create_app
from tests.store_support import article_for, make_event

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

# (place, country, lat, lon): Khartoum and Omdurman are 10 km apart; Fiji straddles the antimeridian.
PLACES = [("Khartoum", "SDN", 15.55177, 32.53241), ("Omdurman", "SDN", 15.64453, 32.47773),
          ("Kyiv", "UKR", 50.45466, 30.5238), ("Suva", "FJI", -18.14161, 178.44149)]
TEXT = "\n".join(f"Event number {n} happened in {p[0]}." for n, p in enumerate(PLACES)) + "\nNo place here."


def _events(article_id: str) -> list[Event]:
    lines = TEXT.split("\n")
    out, at = [], 0
    for n, line in enumerate(lines):
        ev = make_event("SDNGOV" if n < 2 else "RUSMIL", "ASSAULT" if n != 1 else "CONSULT",
                        "SDNCVL" if n < 2 else "UKRMIL", date(2025, 3, 1 + n), article_id=article_id, index=n,
                        sentence=line, span=(at, at + len(line)))
        if n < len(PLACES):
            place, country, lat, lon = PLACES[n]
            ev = replace(ev, place=place, place_country=country, lat=lat, lon=lon, geo_precision="city",
                         geonames_id=1000 + n, date_precision="day", date_source="sentence")
        out.append(ev)
        at += len(line) + 1
    return out


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("geo") / "geo.duckdb"
    with open_store(path) as store:
        doc, article = article_for(TEXT, doc_id="geo", published=date(2025, 3, 10))
        store.add(article, _events(article.id), document=doc)
    return str(path)


def _places(db: str, **geo: Any) -> list[str]:
    with open_store(db, read_only=True) as store:
        page = query_events(store, geo=geo_filter(**geo))
    return sorted(item.event.place or "-" for item in page.items)


def test_country_of_event(db: str) -> None:
    assert _places(db, country_of_event="sdn") == ["Khartoum", "Omdurman"]
    assert _places(db, country_of_event="UKR") == ["Kyiv"]


def test_near_a_point_within_a_radius(db: str) -> None:
    assert _places(db, near="15.55,32.53", radius=5) == ["Khartoum"]
    assert _places(db, near="15.55,32.53", radius="20") == ["Khartoum", "Omdurman"]
    assert _places(db, near="15.55,32.53") == ["Khartoum", "Omdurman"]  # 50 km by default
    assert 9 < distance_km((15.55177, 32.53241), (15.64453, 32.47773)) < 13


def test_a_bounding_box_also_across_the_antimeridian(db: str) -> None:
    assert _places(db, bbox="20,0,40,60") == ["Khartoum", "Kyiv", "Omdurman"]
    assert _places(db, bbox="170,-25,-170,-10") == ["Suva"]


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"near": "15.5"}, "2 numbers"), ({"near": "95,10"}, "latitude 95"), ({"near": "10,200"}, "longitude 200"),
    ({"radius": "5"}, "needs a point"), ({"near": "1,2", "radius": "-3"}, "out of range"),
    ({"bbox": "1,2,3"}, "4 numbers"), ({"bbox": "0,10,5,0"}, "south edge"), ({"country_of_event": "XXX"}, "unknown"),
])
def test_bad_where_filters_say_what_to_do(kwargs: dict[str, Any], words: str) -> None:
    with pytest.raises(BadOption, match=words) as caught:
        geo_filter(**kwargs)
    assert caught.value.hint


def test_cli_events_filters_by_place(db: str) -> None:
    runner = CliRunner()
    got = runner.invoke(app, ["events", "--db", db, "--country-of-event", "SDN", "--json"])
    assert got.exit_code == 0, got.output
    rows = [json.loads(line) for line in got.stdout.splitlines() if line.strip()]
    assert sorted(r["place"] for r in rows) == ["Khartoum", "Omdurman"]
    got = runner.invoke(app, ["events", "--db", db, "--near", "50.45,30.52", "--radius", "10", "--json"])
    assert got.exit_code == 0 and [json.loads(x)["place"] for x in got.stdout.splitlines()] == ["Kyiv"]



def test_cli_bad_where_filter_is_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", db, "--bbox", "1,2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --bbox") and "WEST,SOUTH,EAST,NORTH" in err and "\n" not in err


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    store = open_store(db, read_only=True)
    with TestClient(create_app(store)) as c:
        yield c
    store.close()


def test_api_filters_by_place(client: TestClient) -> None:
    got = client.get("/api/v1/events", params={"country_of_event": "SDN"}).json()
    assert sorted(e["place"] for e in got["events"]) == ["Khartoum", "Omdurman"]
    got = client.get("/api/v1/events", params={"bbox": "170,-25,-170,-10"}).json()
    assert [e["place"] for e in got["events"]] == ["Suva"] and got["events"][0]["lat"] == pytest.approx(-18.14161)
    bad = client.get("/api/v1/events", params={"near": "x,y"})
    assert bad.status_code == 400 and "LAT,LON" in bad.json()["hint"]


def test_the_map_twin_clusters_placed_events_by_place_and_quad_class(client: TestClient) -> None:
    page = client.get("/map.json", params={"modality": "any"}).json()
    assert page["placed"] == 4 and len(page["clusters"]) == 4
    by_place = {c["place"]: c for c in page["clusters"]}
    assert by_place["Khartoum"]["quad_class"] == 4 and by_place["Omdurman"]["quad_class"] == 1
    assert all(c["url"].startswith("/events/") for c in page["clusters"])  # one event each: its evidence
    dyad = client.get("/map.json", params={"a": "RUS", "b": "UKR"}).json()
    assert sorted(c["place"] for c in dyad["clusters"]) == ["Kyiv", "Suva"]
    assert client.get("/map.json", params={"a": "ZZZ1"}).status_code == 400


def test_the_map_places_table_downloads_as_csv(client: TestClient) -> None:
    html = client.get("/map?modality=any").text
    assert 'href="/map.csv?modality=any&amp;table=places"' in html
    got = client.get("/map.csv", params={"modality": "any", "table": "places"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"] == 'attachment; filename="detente-map-places.csv"'
    rows = list(csv.DictReader(io.StringIO(got.text)))
    twin = client.get("/map.json", params={"modality": "any"}).json()
    assert [(r["place"], int(r["quad_class"]), int(r["events"]), r["evidence"]) for r in rows] == \
        [(c["place"], c["quad_class"], c["events"], c["url"]) for c in twin["clusters"]]
    assert client.get("/map.csv", params={"table": "nope"}).status_code == 400


def test_the_map_page_and_its_assets_are_local(client: TestClient) -> None:
    html = client.get("/map").text
    assert 'id="event-map"' in html and 'src="/vendor/plotly.min.js"' in html and "/static/map.js" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    topo = client.get("/static/topojson/world_110m.json")
    assert topo.status_code == 200 and topo.json()["type"] == "Topology"
    assert "countries" in topo.json()["objects"]
    script = client.get("/static/map.js").text
    assert "topojsonURL: '/static/topojson/'" in script


def test_the_search_page_takes_the_maps_cluster_links(client: TestClient) -> None:
    got = client.get("/search.json", params={"near": "15.6,32.5", "radius": "30", "modality": "any"}).json()
    assert sorted(e["place"] for e in got["events"]) == ["Khartoum", "Omdurman"]
