"""The developing story across all stored stories: an entity index and a merged timeline.

    build     update_index(store): index newly analysed stories, incrementally
    events    fold facts that several stories report into one event
    names     fold and normalise names so spellings meet
    dates     timeline values: calendar checks, period bounds, date filters
    queries   entities, entity_detail, trends, find_entity, sparkline
    timeline  merged_timeline, timeline_page

The rules (which names are one entity, which facts one event) live here; the SQL that reads
and writes the index tables is reader.store.index.
"""
