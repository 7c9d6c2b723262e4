"""Feeds offered on the welcome screen to someone who has subscribed to nothing yet.

These are the public RSS addresses of outlets that report on wars and conflicts. They were
written down from the outlets' own pages and could NOT be checked from the offline machine
this was built on: an address may have moved. A failing one shows its error in the feed list
and can be removed; nothing else depends on them.
"""

from __future__ import annotations

from typing import NamedTuple


class Suggestion(NamedTuple):
    title: str
    url: str
    note: str


SUGGESTED_FEEDS: tuple[Suggestion, ...] = (
    Suggestion("BBC News - World", "https://feeds.bbci.co.uk/news/world/rss.xml",
               "World news from the BBC"),
    Suggestion("Al Jazeera - All news", "https://www.aljazeera.com/xml/rss/all.xml",
               "Middle East and world coverage"),
    Suggestion("The Guardian - World", "https://www.theguardian.com/world/rss",
               "World news from the Guardian"),
    Suggestion("The Kyiv Independent", "https://kyivindependent.com/rss/",
               "Ukraine's English-language outlet"),
    Suggestion("Meduza (English)", "https://meduza.io/rss/en/all",
               "Independent Russian news in English"),
    Suggestion("UN News - Peace and Security",
               "https://news.un.org/feed/subscribe/en/news/topic/peace-and-security/feed/rss.xml",
               "United Nations news on conflicts"),
    Suggestion("ReliefWeb - Updates", "https://reliefweb.int/updates/rss.xml",
               "Humanitarian situation reports"),
    Suggestion("Deutsche Welle - World", "https://rss.dw.com/rdf/rss-en-world",
               "World news from DW"),
)
