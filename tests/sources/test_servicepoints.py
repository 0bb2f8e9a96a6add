"""Service-point readers: generic CSV/GeoJSON with validation, ODCAF libraries, Service Canada, BUROLIS."""

import json

import pytest

from playbook.errors import PlaybookError
from playbook.geo.places import read_burolis, read_service_canada_points
from playbook.sources import servicepoints as sp
from playbook.sources.service_canada import match_towns, normalise_place, town_from_name


def write(tmp_path, text, name="points.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_csv_with_known_spellings(tmp_path):
    path = write(
        tmp_path,
        "ID,Name,Nom,Institution,Latitude,Longitude,Opening days\n"
        "a,Library,Bibliothèque,City,45.42,-75.69,Mon-Fri\nb,Office,Bureau,Canada,46.81,-71.21,lun;mar\n",
    )
    points = sp.read_service_points(path)
    assert list(points.columns) == ["id", "name_en", "name_fr", "organization", "lat", "lon", "opening_days"]
    assert points["lat"].tolist() == [45.42, 46.81] and points["id"].tolist() == ["a", "b"]


def test_reads_geojson(tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"id": 7, "name_en": "A"},
            "geometry": {"type": "Point", "coordinates": [-63.13, 46.24]},
        }
    ]
    path = write(tmp_path, json.dumps({"type": "FeatureCollection", "features": features}), "points.geojson")
    points = sp.read_service_points(path)
    assert points.loc[0, ["id", "lat", "lon"]].tolist() == ["7", 46.24, -63.13]


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "id,lat,lon,colour\na,45,-75,red\n",
            r"points.csv, row 1, field 'colour': unknown column\(s\) \['colour'\] \(expected columns among",
        ),
        (
            "id,lat,lon\na,45,-75\nb,46,-75\na,47,-75\n",
            r"points.csv, row 4, field 'id': duplicate id 'a' \(first on row 2\)",
        ),
        (
            "id,lat,lon\na,45,-75\nb,48.85,2.35\n",
            r"points.csv, row 3, field 'lon': 2.35 is outside Canada \(expected a longitude between -141.5 and -52.0\)",
        ),
        ("id,lat,lon\na,north,-75\n", r"points.csv, row 2, field 'lat': 'north' is not a coordinate"),
        (
            "id,lat,lon\na,,-75\n",
            r"points.csv, row 2, field 'lat': '' is not a coordinate "
            r"\(expected decimal degrees \(geocode addresses first\)\)",
        ),
        ("id,name\na,x\n", r"points.csv, row 1, field 'lat': no 'lat' column"),
        ("id,lat,lon\n,45,-75\n", r"points.csv, row 2, field 'id': empty id"),
        (
            "id,lat,lon,opening_days\na,45,-75,Mon-Fri\nb,45,-75,weekdays\n",
            r"points.csv, row 3, field 'opening_days': 'weekdays' is not a list of days",
        ),
    ],
)
def test_validation_names_file_row_field(tmp_path, text, message):
    with pytest.raises(PlaybookError, match=message):
        sp.read_service_points(write(tmp_path, text))


def test_geojson_rows_are_feature_numbers(tmp_path):
    features = [
        {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Point", "coordinates": [-75, 45]}},
        {
            "type": "Feature",
            "properties": {"id": "b"},
            "geometry": {"type": "LineString", "coordinates": [[-75, 45], [-74, 45]]},
        },
    ]
    path = write(tmp_path, json.dumps({"type": "FeatureCollection", "features": features}), "p.geojson")
    with pytest.raises(
        PlaybookError, match=r"p.geojson, row 2, field 'geometry': geometry is LineString \(expected a Point\)"
    ):
        sp.read_service_points(path)


def test_extra_columns_can_be_kept(tmp_path):
    points = sp.read_service_points(write(tmp_path, "id,lat,lon,colour\na,45,-75,red\n"), extra="keep")
    assert points.loc[0, "colour"] == "red"


def test_odcaf_libraries():
    libraries = sp.read_odcaf_libraries()
    assert len(libraries) == 3013 - 707 and libraries.attrs["without_coordinates"] == 707
    assert libraries["id"].is_unique and libraries["lat"].between(41.5, 83.5).all()
    assert libraries["province"].value_counts()["QC"] > 500


def test_town_names_and_normalisation():
    import pandas as pd

    names = pd.Series(
        [
            "Abbotsford Service Canada Centre",
            "Fergus/Elora Scheduled Outreach site",
            "Verdun (Montréal) Service Canada Centre",
            "Ottawa East Service Canada Centre and Passport Services",
        ]
    )
    assert town_from_name(names).tolist() == ["Abbotsford", "Fergus", "Verdun (Montréal)", "Ottawa East"]
    assert normalise_place(pd.Series(["St. John's", "Sainte-Foy (Québec)", "Île-à-la-Crosse"])).tolist() == [
        "saint john s",
        "sainte foy",
        "ile a la crosse",
    ]
    matched = match_towns(
        pd.Series(["Verdun (Montréal)", "Winnipeg Portage Place", "Cat Lake First Nation", "Nowhere Town"]),
        pd.Series(["24", "46", "35", "35"]),
    )
    assert matched["csduid"].tolist()[:3] == ["2466023", "4611040", "3560054"]
    assert matched["match"].tolist() == ["csd_name_in_brackets", "town_first_words", "csd_name_starts_with_town", ""]


def test_service_canada_points_placed_at_their_csd():
    points = read_service_canada_points().set_index("id")
    assert len(points) == 595 and points.attrs["match_rate"] > 0.95
    assert points.attrs["matched_by"]["alias"] >= 25  # specs/service_canada_towns.yml
    dartmouth = points[points["name_en"].str.startswith("Dartmouth")]
    assert dartmouth["csduid"].tolist() == ["1209034"] and dartmouth["match"].tolist() == ["alias"]  # Halifax
    assert points.loc["5944", "csduid"] == "5909052"  # Abbotsford
    assert points.loc["5921", "csduid"] == "5926010"  # Comox Valley: its address says Courtenay
    assert points.loc["4901", "placement"] == "csd_centroid"  # Yellowknife has a CSD boundary
    placed = points["placement"].ne("")
    assert points.loc[placed, "lat"].notna().all() and points.loc[~placed, "lat"].isna().all()


def test_burolis_csv_is_placed_at_its_csd(tmp_path):
    text = (
        "Office ID,Institution,Office Name,Address,City,Province,Postal Code,"
        "CSD Code,CSD Name,CMA Code,Language Obligation\n"
        "B1,Service Canada,Charlottetown SCC,191 Great George St,Charlottetown,PE,C1A 4L2,1102075,Charlottetown,105,B\n"
        "B2,Canada Post,Somewhere,1 Main St,Nowhere,ON,K0K 0K0,,,,A\n"
    )
    offices = read_burolis(write(tmp_path, text, "burolis.csv")).set_index("id")
    assert offices.loc["B1", "language"] == "English and French"
    assert offices.loc["B1", "placement"] in ("population_weighted", "csd_centroid")  # PEI: weighted once DAs exist
    assert offices.loc["B1", "lat"] == pytest.approx(46.27, abs=0.05)
    assert offices.loc["B2", "placement"] == "" and offices.loc["B2", "language"] == "English"


def test_burolis_json_records(tmp_path):
    records = [
        {"serviceId": 12, "institution": "Parks Canada", "csdCode": "6001009", "latitude": None, "longitude": None}
    ]
    path = write(tmp_path, json.dumps(records), "burolis.json")
    offices = read_burolis(path)
    assert offices.loc[0, "id"] == "12" and offices.loc[0, "csduid"] == "6001009"
    assert offices.loc[0, "placement"] == "csd_centroid"
