"""Saving: a story's record, rendered as Markdown with front matter, JSON or HTML, and files.

    record    story_record(store, id): everything saved about a story, as plain data
    markdown  Markdown with YAML front matter
    html      a standalone HTML page
    files     save_story / save_many: safe names, atomic writes (the store records whose file)
    index     the entity index and merged timeline as Markdown, CSV or JSON
"""
