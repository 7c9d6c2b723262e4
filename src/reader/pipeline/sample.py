"""Loading the bundled sample stories through the real pipeline.

The sample feed and pages are served from 127.0.0.1 inside this process, then fetched,
extracted and analysed like any feed. Afterwards the feed's address is changed to
`SAMPLE_FEED_URL`, which refresh skips: the loopback port is gone once loading is done.
"""

from __future__ import annotations

from reader.config import Config
from reader.models import RefreshSummary
from reader.pipeline.refresh import ProgressFn, run_refresh
from reader.store import Store

SAMPLE_FEED_URL = "warreader:sample"


def load_sample(store: Store, config: Config, progress: ProgressFn | None = None) -> RefreshSummary:
    """Subscribe `store` to the sample stories and fetch them; safe to call again."""
    from reader.sample import sample_feed_url, serve_sample

    existing = store.feed_by_url(SAMPLE_FEED_URL)
    if existing is not None:
        store.remove_feed(existing.id)  # reload fresh: the sample is small
    with serve_sample() as base:
        feed = store.add_feed(sample_feed_url(base))
        summary = run_refresh(store, config, feed_ids=[feed.id], progress=progress)
        store.set_feed_url(feed.id, SAMPLE_FEED_URL)
    return summary
