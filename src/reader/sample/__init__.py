"""The bundled sample stories: a feed and article pages written for warreader about the
September 2022 Kharkiv counteroffensive, served from 127.0.0.1 for the `--sample` demo."""

from reader.sample.server import SAMPLE_FEED_PATH, sample_feed_url, serve_sample

__all__ = ["SAMPLE_FEED_PATH", "sample_feed_url", "serve_sample"]
