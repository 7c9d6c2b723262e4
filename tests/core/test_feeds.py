"""reader.feeds: every feed flavour, hostile documents, discovery, OPML."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
import tracemalloc
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import FeedError
from reader.feeds.discover import discover_feeds, looks_like_feed
from reader.feeds.opml import export_opml, parse_opml
from reader.feeds.parse import parse_feed
from reader.models import ParsedFeed

UTC = dt.UTC

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Kharkiv Wire</title><link>https://news.example/</link>
<item><title>Counteroffensive reaches Kupyansk</title><link>/2022/09/10/kupyansk.html</link>
  <guid isPermaLink="false">wire-1</guid><pubDate>Sat, 10 Sep 2022 13:00:00 +0300</pubDate>
  <dc:creator>Olena Kovalenko</dc:creator>
  <description>&lt;p&gt;Forces entered &lt;b&gt;Kupyansk&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><title>Izyum: roads cut</title><link>https://news.example/izyum.html</link>
  <pubDate>not a date</pubDate></item>
</channel></rss>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF Dispatch</title><link>https://rdf.example/</link>
  <items><rdf:Seq><rdf:li resource="https://rdf.example/1"/></rdf:Seq></items></channel>
<item rdf:about="https://rdf.example/1"><title>Lyman surrounded</title>
  <link>https://rdf.example/1</link><dc:date>2022-09-30T08:15:00Z</dc:date></item>
</rdf:RDF>"""

RSS091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Caf&eacute; Bulletin</title><link>http://old.example/</link>
<description>d</description><language>en</language>
<item><title>Caf\xe9 reopens&nbsp;in Kherson</title><link>http://old.example/1</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title type="html">&lt;b&gt;Front&lt;/b&gt; Line</title><link href="https://atom.example/"/>
<id>urn:atom</id><updated>2022-09-11T10:00:00+02:00</updated>
<entry><title>Balakliya retaken</title><link href="https://atom.example/b"/><id>urn:atom:1</id>
  <updated>2022-09-11T10:00:00+02:00</updated><author><name>Taras Melnyk</name></author>
  <content type="html">&lt;p&gt;Full text&lt;/p&gt;</content><summary>Short</summary></entry>
</feed>"""

JSON_FEED = json.dumps({
    "version": "https://jsonfeed.org/version/1.1", "title": "JSON Desk",
    "home_page_url": "https://json.example/",
    "items": [
        {"id": "j1", "url": "/story/1", "title": "Aid convoy <em>arrives</em>",
         "content_text": "Trucks reached <Dnipro>.", "date_published": "2022-09-12T06:00:00Z",
         "authors": [{"name": "Anna Keller"}]},
        {"id": 2, "content_html": "<p>No title here, only text.</p>"},
    ],
}).encode()

BOMB_DTD = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))


def bomb(upper: bool = False) -> bytes:
    """A billion-laughs feed; upper-case tags make lxml give up, so feedparser parses it."""
    body = ("<rss version='2.0'><channel><title>Bomb &l9;</title><item><title>Item &l5; &eacute;"
            "</title><link>http://b.example/1</link></item></channel></rss>")
    if upper:
        for tag in ("rss", "channel", "title", "item", "link"):
            body = body.replace(f"<{tag}", f"<{tag.upper()}")
            body = body.replace(f"</{tag}>", f"</{tag.upper()}>")
    return (f"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY l0 \"lol\">{BOMB_DTD}]>"
            + body).encode()


def test_rss2() -> None:
    feed = parse_feed(RSS2, url="https://news.example/feed.xml")
    assert (feed.title, feed.link, feed.parser) == ("Kharkiv Wire", "https://news.example/", "fast")
    first, second = feed.entries
    assert first.guid == "wire-1"
    assert first.title == "Counteroffensive reaches Kupyansk"
    assert first.url == "https://news.example/2022/09/10/kupyansk.html"
    assert first.published == dt.datetime(2022, 9, 10, 10, 0, tzinfo=UTC)
    assert first.published.tzinfo is not None and first.published.utcoffset() == dt.timedelta(0)
    assert first.author == "Olena Kovalenko"
    assert first.summary_html == "<p>Forces entered <b>Kupyansk</b>.</p>"
    assert second.guid == "https://news.example/izyum.html"  # no guid: the link stands in
    assert second.published is None


def test_rss1_rdf() -> None:
    feed = parse_feed(RSS1)
    assert feed.title == "RDF Dispatch"
    (entry,) = feed.entries
    assert (entry.title, entry.url) == ("Lyman surrounded", "https://rdf.example/1")
    assert entry.published == dt.datetime(2022, 9, 30, 8, 15, tzinfo=UTC)


def test_rss091_with_netscape_doctype_and_html_entities() -> None:
    feed = parse_feed(RSS091)
    assert feed.title == "Café Bulletin"
    (entry,) = feed.entries
    assert entry.title == "Café reopens in Kherson"
    assert entry.url == "http://old.example/1"


def test_atom() -> None:
    feed = parse_feed(ATOM)
    assert feed.title == "Front Line"  # HTML in a title is reduced to its text
    (entry,) = feed.entries
    assert entry.guid == "urn:atom:1"
    assert entry.author == "Taras Melnyk"
    assert entry.published == dt.datetime(2022, 9, 11, 8, 0, tzinfo=UTC)
    assert entry.content_html == "<p>Full text</p>"
    assert entry.summary_html == "Short"


def test_json_feed() -> None:
    feed = parse_feed(JSON_FEED, url="https://json.example/feed.json")
    assert (feed.title, feed.parser) == ("JSON Desk", "json")
    first, second = feed.entries
    assert first.url == "https://json.example/story/1"
    assert first.title == "Aid convoy arrives"
    assert first.content_html == "<p>Trucks reached &lt;Dnipro&gt;.</p>"
    assert first.published == dt.datetime(2022, 9, 12, 6, 0, tzinfo=UTC)
    assert first.author == "Anna Keller"
    assert second.guid == "2"
    assert second.title == "No title here, only text."


def test_json_that_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match="not a JSON Feed"):
        parse_feed(b'{"hello": "world"}')
    with pytest.raises(FeedError, match="broken JSON"):
        parse_feed(b'{"items": [')


CYRILLIC = ("<rss version='2.0'><channel><title>Новини Харкова</title><item>"
            "<title>Звільнення Куп'янська</title><link>http://ua.example/1</link></item>"
            "</channel></rss>")


@pytest.mark.parametrize(("body", "content_type"), [
    ("<?xml version='1.0' encoding='windows-1251'?>" + CYRILLIC, "application/rss+xml"),
    (CYRILLIC, "application/rss+xml; charset=windows-1251"),
    # the server claims utf-8, the document says (truly) windows-1251
    ("<?xml version='1.0' encoding='windows-1251'?>" + CYRILLIC, "text/xml; charset=utf-8"),
])
def test_windows_1251(body: str, content_type: str) -> None:
    feed = parse_feed(body.encode("cp1251"), content_type=content_type)
    assert feed.title == "Новини Харкова"
    assert feed.entries[0].title == "Звільнення Куп'янська"


@pytest.mark.parametrize("doc", [
    b"<RSS version='2.0'><CHANNEL><TITLE>Upper</TITLE><ITEM><TITLE>Loud item</TITLE>"
    b"<LINK>http://up.example/1</LINK></ITEM></CHANNEL></RSS>",
    b"<feed><title>Upper</title><entry><title>Loud item</title>"
    b"<link href='http://up.example/1'/><id>x1</id></entry></feed>",  # Atom without namespace
])
def test_documents_lxml_cannot_read_fall_back_to_feedparser(doc: bytes) -> None:
    feed = parse_feed(doc)
    assert feed.parser == "feedparser"
    assert feed.title == "Upper"
    assert [e.title for e in feed.entries] == ["Loud item"]
    assert feed.entries[0].url == "http://up.example/1"


def test_malformed_xml_is_recovered() -> None:
    feed = parse_feed(b"<?xml version='1.0'?><rss><channel><title>Broken<item><title>unclosed")
    assert feed.title == "Broken"
    assert [e.title for e in feed.entries] == ["unclosed"]


def test_bare_ampersands_survive() -> None:
    feed = parse_feed(b"<rss version='2.0'><channel><title>Q&A with AT&T</title><item>"
                      b"<title>Rock & roll</title><link>http://x.example/?a=1&b=2</link>"
                      b"</item></channel></rss>")
    assert feed.title == "Q&A with AT&T"
    assert feed.entries[0].url == "http://x.example/?a=1&b=2"


@pytest.mark.parametrize("upper", [False, True])
def test_entity_bomb_does_not_expand(upper: bool) -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        feed = parse_feed(bomb(upper))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1.0
    assert peak < 5_000_000
    assert feed.parser == ("feedparser" if upper else "fast")
    assert "lollol" not in feed.title
    assert feed.entries[0].url == "http://b.example/1"
    assert "lollol" not in feed.entries[0].title
    assert feed.entries[0].title.endswith("é")


def test_escape_sequences_and_markup_in_titles() -> None:
    evil = "\x1b]0;owned\x07\x1b[2J[bold red]x[/] &#27;[31mred &#155;1m"
    doc = (f"<rss version='2.0'><channel><title>{evil}</title><item><title>{evil}</title>"
           f"<link>javascript:alert(1)</link><description>&lt;p&gt;\x1b[2Jtext&#27;[0m&lt;/p&gt;"
           f"</description></item><item><title>file</title><link>file:///etc/passwd</link>"
           f"</item></channel></rss>").encode()
    feed = parse_feed(doc)
    for title in (feed.title, feed.entries[0].title):
        assert title == "[bold red]x[/] red"  # "\x9b1m" is an 8-bit CSI sequence
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in title)
    assert feed.entries[0].url is None
    assert feed.entries[1].url is None
    assert feed.entries[0].summary_html == "<p>text</p>"


NOT_A_FEED = "This address does not serve a feed (it is not RSS, Atom or JSON Feed)."


@pytest.mark.parametrize(("body", "message"), [
    (b"<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>",
     "This address does not serve a feed (it looks like an HTML page)."),
    (b"<?xml version='1.0'?><!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN' "
     b"'http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd'><html xmlns='http://www.w3.org/1999/"
     b"xhtml'><head><title>x</title></head><body/></html>",
     "This address does not serve a feed (it looks like an HTML page)."),
    (b"", "The server sent an empty document instead of a feed."),
    (b"  \n ", "The server sent an empty document instead of a feed."),
    (bytes(range(256)) * 16, NOT_A_FEED),
    (b"just some text", NOT_A_FEED),
])
def test_not_a_feed(body: bytes, message: str) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(body)
    assert str(info.value) == message


def test_guid_falls_back_to_a_stable_hash() -> None:
    def doc(title: str) -> bytes:
        return (f"<rss version='2.0'><channel><title>t</title><item><title>{title}</title>"
                f"<pubDate>Sat, 10 Sep 2022 10:00:00 GMT</pubDate></item></channel></rss>").encode()

    one, again, other = (parse_feed(doc(t)).entries[0].guid for t in ("A", "A", "B"))
    assert one == again
    assert one != other
    assert one.startswith("sha1:")


def test_repeated_guids_keep_the_first_entry() -> None:
    feed = parse_feed(b"<rss version='2.0'><channel><title>t</title>"
                      b"<item><guid>same</guid><title>first</title></item>"
                      b"<item><guid>same</guid><title>second</title></item></channel></rss>")
    assert [e.title for e in feed.entries] == ["first"]


def test_naive_dates_are_taken_as_utc() -> None:
    feed = parse_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title><entry>"
                      b"<id>1</id><title>a</title><updated>2022-09-10T10:00:00</updated>"
                      b"</entry></feed>")
    assert feed.entries[0].published == dt.datetime(2022, 9, 10, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("body", "ctype", "expected"), [
    (RSS2, "text/xml", True), (ATOM, None, True), (RSS1, None, True), (RSS091, None, True),
    (JSON_FEED, "application/json", True), (b"<html><body>x</body></html>", "text/html", False),
    (b'{"a": 1}', "application/json", False), (b"", "application/rss+xml", True),
    (b"\x00\x01garbage", None, False),
    (b"<?xml version='1.0'?><!DOCTYPE rss [" + b"<!ENTITY a 'b'>" * 300 + b"]><rss/>", None, False),
])
def test_looks_like_feed(body: bytes, ctype: str | None, expected: bool) -> None:
    assert looks_like_feed(body, ctype) is expected


def test_discover_feeds() -> None:
    page = b"""<!doctype html><html><head>
    <link rel="stylesheet" href="/style.css">
    <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.rss">
    <link rel="alternate" hreflang="uk" href="/uk/">
    <link rel="Alternate" type="application/atom+xml" href="https://other.example/atom.xml">
    <link rel="alternate" type="application/feed+json" href="feed.json">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    <link rel="alternate" type="application/rss+xml" href="/feed.rss">
    </head><body><a href="/not-a-feed.xml" type="application/rss+xml">x</a></body></html>"""
    assert discover_feeds(page, "https://site.example/news/page.html") == [
        "https://site.example/feed.rss",
        "https://other.example/atom.xml",
        "https://site.example/news/feed.json",
    ]
    with_base = ('<base href="https://cdn.example/x/">'
                 "<link rel=alternate type=application/rss+xml href=f>")
    assert discover_feeds(with_base, "https://site.example/") == ["https://cdn.example/x/f"]
    assert discover_feeds("<p>no feeds</p>", "https://site.example/") == []


OPML = b"""<?xml version="1.0" encoding="utf-8"?>
<opml version="1.0"><head><title>subs</title></head><body>
<outline text="War">
  <outline text="Kyiv Independent" type="rss" xmlUrl="https://kyiv.example/rss"/>
  <outline text="Nested"><outline title="Deep &amp; far" xmlUrl="https://deep.example/feed"/></outline>
</outline>
<outline text="dupe" xmlUrl="https://kyiv.example/rss"/>
<outline text="local file" xmlUrl="file:///etc/passwd"/>
<outline text="No URL"/>
</body></opml>"""


def test_parse_opml_flattens_and_filters() -> None:
    assert parse_opml(OPML) == [("https://kyiv.example/rss", "Kyiv Independent"),
                                ("https://deep.example/feed", "Deep & far")]


def test_parse_opml_entity_bomb_and_junk() -> None:
    doc = (f"<?xml version='1.0'?><!DOCTYPE opml [<!ENTITY l0 \"lol\">{BOMB_DTD}]><opml>"
           "<body><outline text='&l9;' xmlUrl='https://b.example/f'/></body></opml>").encode()
    started = time.monotonic()
    (item,) = parse_opml(doc)
    assert time.monotonic() - started < 1.0
    assert item[0] == "https://b.example/f"
    assert "lollol" not in (item[1] or "")
    for junk in (b"", b"<rss/>", b"\xff\xfe\x00garbage"):
        with pytest.raises(FeedError, match="not an OPML"):
            parse_opml(junk)


def test_opml_round_trip() -> None:
    feeds = [("https://a.example/rss?x=1&y=2", 'Tom & Jerry <"news">'),
             ("https://b.example/feed", "Новини\tХаркова"),
             ("https://c.example/f", "\x1b[2J[bold]x[/]")]
    text = export_opml(feeds)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert [o.get("xmlUrl") for o in root.iter("outline")] == [u for u, _ in feeds]
    assert parse_opml(text.encode("utf-8")) == [
        ("https://a.example/rss?x=1&y=2", 'Tom & Jerry <"news">'),
        ("https://b.example/feed", "Новини Харкова"),
        ("https://c.example/f", "[bold]x[/]"),
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_parse_feed_on_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(FeedError):
        assert isinstance(parse_feed(data), ParsedFeed)


_XMLISH = st.text(alphabet=st.sampled_from(list("<>/&;#x![]\"'= ?-abcrsitemlnkgu\x1b\x00é")),
                  max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_XMLISH, _XMLISH)
def test_parse_feed_on_mangled_feeds(title: str, junk: str) -> None:
    doc = (f"<rss version='2.0'><channel><title>{title}</title>{junk}<item><title>{title}"
           f"</title></item></channel></rss>").encode()
    try:
        feed = parse_feed(doc)
    except FeedError:
        return
    for text in [feed.title, *(e.title for e in feed.entries)]:
        assert "\x1b" not in text and "\x00" not in text
