"""The API's public answers are compact JSON, compressed once (brotli or gzip, as the client
accepts) and served compressed from the cache, each coding with its own ETag."""

import gzip
import json

import brotli
import pytest

from core import api_encoding

pytestmark = pytest.mark.django_db

LISTING = "/api/v2/pages/?fields=*&limit=20"


def fetch(client, url=LISTING, coding=None, **headers):
    if coding is not None:
        headers["Accept-Encoding"] = coding
    return client.get(url, headers=headers)


def body(response) -> bytes:
    decode = {"br": brotli.decompress, "gzip": gzip.decompress}
    coding = response.get("Content-Encoding")
    return decode[coding](response.content) if coding else response.content


def test_answers_are_compact_json(week, client):
    identity = fetch(client)

    data = json.loads(identity.content)
    assert data["items"]
    assert identity.content == json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("accept_encoding", "coding"),
    [
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, deflate, br", "br"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("*;q=0", None),
        ("identity", None),
        ("deflate", None),
        ("gzip;q=bogus", None),
    ],
)
def test_the_coding_is_the_one_the_client_wants_most(week, client, accept_encoding, coding):
    identity = fetch(client)
    answer = fetch(client, coding=accept_encoding)

    assert answer.get("Content-Encoding") == coding
    assert body(answer) == identity.content
    assert int(answer["Content-Length"]) == len(answer.content)
    assert answer["Vary"] == "Origin, Accept-Encoding"


def test_compression_makes_a_listing_several_times_smaller(week, client):
    identity, compressed = fetch(client), fetch(client, coding="br")

    assert len(compressed.content) * 3 < len(identity.content)


def test_each_coding_has_its_own_etag_that_validates_only_itself(week, client):
    etags = {coding: fetch(client, coding=coding)["ETag"] for coding in ("identity", "gzip", "br")}
    gzip_again = fetch(client, coding="gzip", If_None_Match=etags["gzip"])
    br_with_gzip_etag = fetch(client, coding="br", If_None_Match=etags["gzip"])

    assert len(set(etags.values())) == 3
    assert etags["gzip"] == etags["identity"][:-1] + '-gzip"'
    assert gzip_again.status_code == 304
    assert gzip_again["ETag"] == etags["gzip"]
    assert gzip_again["Vary"] == "Origin, Accept-Encoding"
    assert br_with_gzip_etag.status_code == 200
    assert br_with_gzip_etag["ETag"] == etags["br"]


def test_an_answer_is_compressed_once_and_served_compressed_from_the_cache(
    week, client, monkeypatch
):
    calls = []
    compress = api_encoding.compress
    monkeypatch.setattr(
        api_encoding, "compress", lambda content: calls.append(1) or compress(content)
    )

    answers = [fetch(client, coding=coding) for coding in ("br", "gzip", "br", None, "gzip")]

    assert len(calls) == 1
    assert [answer.get("Content-Encoding") for answer in answers] == [
        "br",
        "gzip",
        "br",
        None,
        "gzip",
    ]
    assert len({body(answer) for answer in answers}) == 1


def test_a_change_gives_every_coding_the_new_answer(week, client, committed):
    url = f"/api/v2/pages/{week.west.id}/"
    before = fetch(client, url, coding="gzip")
    with committed():
        week.west.title = "Minsk calls for friendship, corrected"
        week.west.save_revision().publish()

    after = fetch(client, url, coding="gzip", If_None_Match=before["ETag"])

    assert after.status_code == 200
    assert json.loads(body(after))["title"] == "Minsk calls for friendship, corrected"


def test_private_answers_are_never_compressed(week, client, admin_user):
    client.force_login(admin_user)

    answer = fetch(client, coding="gzip, br")

    assert answer["Cache-Control"] == "private, no-store"
    assert "Content-Encoding" not in answer


def test_a_small_answer_is_sent_as_it_is(week, client):
    answer = fetch(client, "/api/v2/pages/?limit=1&offset=900", coding="br")

    assert answer.status_code == 200, answer.content
    assert len(answer.content) < api_encoding.MIN_SIZE
    assert "Content-Encoding" not in answer
    assert answer["Vary"] == "Origin, Accept-Encoding"
