"""The bundled sample stories: served over real HTTP, parsed, extracted; and the NLP gold set."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reader.content.article import extract_article
from reader.sample import SAMPLE_FEED_PATH, sample_feed_url, serve_sample

DC = "{http://purl.org/dc/elements/1.1/}"
FIRST, LAST = dt.date(2022, 9, 7), dt.date(2022, 10, 2)
# Text that only page furniture carries: none of it may reach the extracted story.
FURNITURE = ["cookie", "Accept all", "Advertisement", "newsletter", "Sign up", "Subscribe",
             "All rights reserved", "Privacy", "Reply", "hours ago", "Share on", "Comments",
             "Related stories", "Read Next", "More on this story", "SEE ALSO", "READ ALSO",
             "WATCH", "Most read", "Tags:", "(2:14)"]


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _Meta(HTMLParser):
    """<title> text and <meta> name/property -> content of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (key := a.get("property") or a.get("name")):
            self.meta[key] = a.get("content") or ""
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def page_meta(html: str) -> _Meta:
    parser = _Meta()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, bytes]]:
    with serve_sample() as base:
        status, headers, body = get(sample_feed_url(base))
        assert status == 200 and "xml" in headers["Content-Type"]
        yield base, body


@pytest.fixture(scope="module")
def items(served: tuple[str, bytes]) -> list[ET.Element]:
    root = ET.fromstring(served[1])
    return root.findall("./channel/item")


def test_the_feed_lists_ten_stories_with_the_served_base(served: tuple[str, bytes],
                                                        items: list[ET.Element]) -> None:
    base, body = served
    assert sample_feed_url(base) == base + SAMPLE_FEED_PATH
    assert b"{BASE}" not in body
    assert len(items) == 10
    links = [item.findtext("link") or "" for item in items]
    assert len(set(links)) == 10 and all(link.startswith(base + "/articles/") for link in links)
    guids = {item.findtext("guid") for item in items}
    assert len(guids) == 10


def test_each_item_has_a_date_author_and_a_short_summary(items: list[ET.Element]) -> None:
    for item in items:
        published = email.utils.parsedate_to_datetime(item.findtext("pubDate") or "")
        assert published.tzinfo is not None and FIRST <= published.date() <= LAST
        assert (item.findtext(f"{DC}creator") or "").strip()
        summary = item.findtext("description") or ""
        # short on purpose: the reader has to fetch the page for the full story
        assert 40 < len(summary) < 300 and summary.count(". ") <= 1


def test_every_link_serves_its_page(items: list[ET.Element]) -> None:
    for item in items:
        url = item.findtext("link") or ""
        status, headers, body = get(url)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert headers["ETag"]
        html = body.decode("utf-8")
        assert "{BASE}" not in html
        meta = page_meta(html)
        title = item.findtext("title") or ""
        assert meta.title.startswith(title) and meta.meta["og:title"] == title
        assert meta.meta["author"] == item.findtext(f"{DC}creator")
        assert meta.meta["og:image"].startswith(url.split("/articles/")[0] + "/")
        published = dt.datetime.fromisoformat(meta.meta["article:published_time"])
        assert published == email.utils.parsedate_to_datetime(item.findtext("pubDate") or "")
        assert re.search(r"Sample story written for (the )?warreader", html[:400])


def test_extraction_keeps_the_story_and_drops_the_furniture(items: list[ET.Element]) -> None:
    for item in items:
        url = item.findtext("link") or ""
        html = get(url)[2]
        article = extract_article(html, url)
        assert article.title == item.findtext("title")
        assert article.author == item.findtext(f"{DC}creator")
        assert article.published is not None and FIRST <= article.published.date() <= LAST
        words = len(article.markdown.split())
        assert 400 <= words <= 950, (url, words)
        leaks = [text for text in FURNITURE if text in article.markdown]
        # the lead photo may stay; no other picture belongs to the story
        lead = page_meta(html.decode("utf-8")).meta["og:image"]
        leaks += [src for src in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", article.markdown)
                  if src != lead]
        assert not leaks, (url, leaks)


def test_conditional_get_missing_files_and_escapes(served: tuple[str, bytes],
                                                    items: list[ET.Element]) -> None:
    base = served[0]
    url = items[0].findtext("link") or ""
    _, headers, _ = get(url)
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(url, {"If-None-Match": '"stale"'})[0] == 200
    for path in ("/articles/nope.html", "/../server.py", "/%2e%2e/server.py", "/"):
        assert get(base + path)[0] == 404, path


def test_serving_is_quiet_and_stops(capfd: pytest.CaptureFixture[str]) -> None:
    with serve_sample() as base:
        get(sample_feed_url(base))
        get(base + "/missing")
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(sample_feed_url(base), timeout=2)


# ---- the NLP gold set -------------------------------------------------------------------

GOLD = Path(__file__).parents[1] / "nlp_gold.json"
VALUE = re.compile(r"\d{4}(-(\d\d(-\d\d)?|W\d\d|Q[1-4]|SP|SU|FA|WI))?")


def test_gold_set_is_well_formed() -> None:
    stories = json.loads(GOLD.read_text(encoding="utf-8"))
    assert 15 <= len(stories) <= 25
    assert len({s["text"] for s in stories}) == len(stories)
    for story in stories:
        text = story["text"]
        dt.date.fromisoformat(story["published"])
        assert story["entities"] and story["timeline"]
        for entity in story["entities"]:
            assert entity["kind"] in ("person", "place", "organization")
            assert all(alias in text for alias in entity["aliases"]), entity
            assert any(form in text for form in (entity["name"], *entity["aliases"])), entity
        names = [entity["name"] for entity in story["entities"]]
        assert len(names) == len(set(names))
        for fact in story["timeline"]:
            assert VALUE.fullmatch(fact["date"]), fact
            assert text[fact["start"]:fact["end"]] == fact["expression"], fact
