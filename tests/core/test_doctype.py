"""No feed can make a parser read a local file or fetch an address through an entity.

DOCTYPE removal is a fixed point (splicing one DOCTYPE out of another leaves none), and
both parsers warreader uses (fastfeedparser on lxml, feedparser) are checked on their own
with a working external-entity DOCTYPE, as a second line of defence.
"""

from __future__ import annotations

from pathlib import Path

import fastfeedparser
import feedparser
import pytest

from reader.feeds.parse import parse_feed
from reader.feeds.xmlsafe import remove_doctypes
from tests.conftest import LocalServer

SECRET = "warreader-secret-7f3a"


def _doc(doctype: str) -> str:
    return (f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>T &x;</title>'
            "<item><title>Item &x;</title><guid>1</guid><description>&x;</description></item>"
            "</channel></rss>")


def _doctypes(secret_file: Path, url: str) -> list[str]:
    entity = f'[<!ENTITY x SYSTEM "file://{secret_file}">]'
    remote = f'[<!ENTITY x SYSTEM "{url}">]'
    return [
        f"<!DOCTYPE rss {entity}>",
        f"<!DOC<!DOCTYPE a>TYPE rss {entity}>",
        f"<!DOC<!DOC<!DOCTYPE a>TYPE b>TYPE rss {entity}>",
        f"<!doc<!DOCTYPE a>type rss {entity}>",
        f"<!DOC<!DOCTYPE a [<!ENTITY y 'z'>]>TYPE rss {remote}>",
        f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}"> %p;]>',
    ]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def test_removal_is_a_fixed_point(secret: Path) -> None:
    for doctype in _doctypes(secret, "http://127.0.0.1:9/x"):
        cleaned = remove_doctypes(_doc(doctype))
        assert "<!doctype" not in cleaned.lower() and "<!entity" not in cleaned.lower(), cleaned
        assert remove_doctypes(cleaned) == cleaned


def test_no_entity_reaches_a_parsed_feed(secret: Path, local_server: LocalServer) -> None:
    local_server.routes["/entity"] = SECRET
    for doctype in _doctypes(secret, local_server.url("/entity")):
        try:
            feed = parse_feed(_doc(doctype).encode(), url="http://127.0.0.1/feed.xml")
        except Exception as exc:  # a clear refusal is as good as a clean parse
            assert SECRET not in str(exc)
            continue
        seen = [feed.title, *(e.title for e in feed.entries),
                *(e.summary_html or "" for e in feed.entries)]
        assert not any(SECRET in s for s in seen), seen
    assert local_server.hits.get("/entity", 0) == 0


@pytest.mark.parametrize("parser", ["fastfeedparser", "feedparser"])
def test_each_parser_on_its_own_ignores_external_entities(
        parser: str, secret: Path, local_server: LocalServer) -> None:
    local_server.routes["/entity"] = SECRET
    remote = f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{local_server.url("/entity")}">]>'
    for doctype in (_doctypes(secret, local_server.url("/entity"))[0], remote):
        data = _doc(doctype).encode()
        if parser == "fastfeedparser":
            try:
                parsed = fastfeedparser.parse(data)
            except Exception:
                continue  # refusing the document is safe
            text = repr(parsed)
        else:
            text = repr(feedparser.parse(data, response_headers={
                "content-type": "application/xml"}))
        assert SECRET not in text
    assert local_server.hits.get("/entity", 0) == 0
