"""Feeds: safe decoding of XML documents, parsing RSS/Atom/JSON Feed, discovery and OPML.

    xmlsafe   decode a document, remove escapes, control characters and DOCTYPEs
    parse     RSS 0.9x/1.0/2.0, Atom and JSON Feed into ParsedFeed
    discover  feed links a page announces
    opml      subscription lists in and out
"""
