"""The pipeline: fetch -> parse -> extract -> analyse -> store.

    refresh    refresh feeds and pages, analyse the backlog, update the index
    subscribe  add a feed or a page, import and export OPML
    pool       the process pool that extracts and analyses pages
    sample     load the bundled sample stories through the real pipeline
"""
