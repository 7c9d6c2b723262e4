"""An article page's story: main-text extraction, Markdown conversion, clean-up, metadata.

    extract_markdown(html, url) -> str      the story as Markdown (the stable entry point)
    extract_article(html, url) -> Article   the story with its title, author and date
"""

from reader.content.article import decode_html, extract_article, extract_markdown, html_to_markdown

__all__ = ["decode_html", "extract_article", "extract_markdown", "html_to_markdown"]
