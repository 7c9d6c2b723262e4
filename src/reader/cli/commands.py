"""The jobs `warreader COMMAND` does from a script: list, show, search, refresh, timeline,
map, save and the rest. Imported only when a command is given: opening the reader needs none
of this code."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable

from reader.cli.output import (
    EXIT_FAIL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    say,
)
from reader.config import Config
from reader.errors import ReaderError
from reader.models import Feed, RefreshProgress, RefreshSummary, Story
from reader.paths import Paths
from reader.store import Store
from reader.text import counted


def _story_json(story: Story) -> str:
    return json.dumps({
        "id": story.id, "feed": story.feed_title, "feed_id": story.feed_id,
        "title": story.title, "url": story.url,
        "published": story.published.isoformat() if story.published else None,
        "read": story.read, "starred": story.starred,
    }, ensure_ascii=False)


def _story_line(story: Story) -> str:
    when = story.published.strftime("%Y-%m-%d %H:%M") if story.published else " " * 16
    mark = ("*" if story.starred else " ") + ("N" if not story.read else " ")
    return f"{story.id:>6} {mark} {when}  {story.feed_title[:20]:<20}  {story.title}"


def _print_summary(summary: RefreshSummary) -> None:
    for r in summary.results:
        if r.status == "failed":
            say(f"  failed     {r.title or r.url}: {r.error}")
        elif r.new:
            say(f"  {r.new:>4} new   {r.title}")
    unchanged = sum(1 for r in summary.results if r.status == "unchanged")
    say(f"{counted(len(summary.results), 'feed')}: "
          f"{counted(summary.new, 'new story', 'new stories')}, {unchanged} unchanged, "
          f"{len(summary.failed)} failed; {summary.pages_fetched} full pages fetched, "
          f"{summary.pages_failed} unavailable.")


def _progress_printer(enabled: bool) -> Callable[[RefreshProgress], None] | None:
    tty = enabled and sys.stderr.isatty()

    def show(p: RefreshProgress) -> None:
        if tty:
            sys.stderr.write(f"\r\x1b[2K{p.done}/{p.total} done, {p.new_stories} new, "
                             f"{p.failed} failed")
            sys.stderr.flush()
    return show if tty else None


def _feed(store: Store, key: str) -> Feed:
    """The feed `key` names (id, URL or title); ReaderError if none does, which main reports."""
    feed = store.find_feed(key)
    if feed is None:
        raise ReaderError(f"no feed matches {key!r}.")
    return feed


def _entity(store: Store, name: str) -> str:
    """The index key of the entity called `name`; ReaderError if there is none."""
    from reader.index.queries import find_entity

    key = find_entity(store, name)
    if key is None:
        raise ReaderError(f"no entity is called {name!r}.")
    return key


def _refresh(store: Store, config: Config, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from reader.pipeline.refresh import run_refresh

    if args.jobs:
        config = replace(config, network=config.network._replace(jobs=max(1, args.jobs)))
    ids = None
    if args.feeds:
        ids = [_feed(store, key).id for key in args.feeds]
    cancel = threading.Event()
    stopped: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopped.append(signum)
        cancel.set()

    # SIGTERM and SIGHUP (a closed terminal) stop the refresh like `x` in the reader: the
    # pool's workers are killed and what was stored stays.
    handled = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
               if s is not None]
    previous = {s: signal.signal(s, stop) for s in handled}
    try:
        summary = run_refresh(store, config, feed_ids=ids, full_pages=not args.feeds_only,
                              analyse=not args.feeds_only,
                              progress=_progress_printer(not args.quiet), cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        say("\nwarreader: refresh interrupted; what was fetched is kept.", err=True)
        return EXIT_INTERRUPTED
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if stopped:
        name = signal.Signals(stopped[0]).name
        say(f"\nwarreader: refresh stopped by {name}; what was fetched is kept.",
              err=True)
        return 128 + stopped[0]
    if sys.stderr.isatty() and not args.quiet:
        sys.stderr.write("\r\x1b[2K")
    _print_summary(summary)
    return EXIT_PARTIAL if summary.failed else EXIT_OK


def _timeline(store: Store, args: argparse.Namespace) -> int:
    from reader.export.index import export_timeline
    from reader.index.build import update_index
    from reader.index.timeline import merged_timeline

    update_index(store)
    feed_id = _feed(store, args.feed).id if args.feed else None
    key = _entity(store, args.entity) if args.entity else None
    items = merged_timeline(store, entity=key, feed_id=feed_id, since=args.since,
                            until=args.until, limit=args.limit)
    say(export_timeline(items, args.format), end="")
    return EXIT_OK


def _map(store: Store, args: argparse.Namespace) -> int:
    from reader.geo.basemap import load_basemap
    from reader.geo.export import to_geojson, to_svg
    from reader.geo.places import developing
    from reader.index.build import update_index

    update_index(store)
    feed_id = _feed(store, args.feed).id if args.feed else None
    if args.entity:
        _entity(store, args.entity)
    pm = developing(store, entity=args.entity, feed_id=feed_id, since=args.since,
                    until=args.until).window()
    if args.format == "svg":
        say(to_svg(pm, load_basemap()))
    else:
        say(json.dumps(to_geojson(pm), ensure_ascii=False, indent=1))
    return EXIT_OK


def _entities(store: Store, args: argparse.Namespace) -> int:
    from reader.export.index import export_entities
    from reader.index.build import update_index
    from reader.index.queries import entities

    update_index(store)
    items = entities(store, kind=args.kind, limit=args.limit, query=args.query)
    say(export_entities(items, args.format), end="")
    return EXIT_OK


def _save(store: Store, paths: Paths, config: Config, args: argparse.Namespace) -> int:
    from reader.export.files import UnrecordedSave, save_folder, save_many, save_story

    if (args.id is not None) == (args.starred or args.tag is not None):
        say("warreader: save takes a story ID, or --starred and/or --tag TAG.", err=True)
        return EXIT_USAGE
    folder = save_folder(paths, config, args.to)
    try:
        if args.id is not None:
            say(save_story(store, args.id, fmt=args.format, folder=folder))
            return EXIT_OK
        saved = save_many(store, starred=args.starred, tag=args.tag, fmt=args.format,
                          folder=folder, on_saved=say)
    except UnrecordedSave as exc:  # the files are written: that is what the reader asked for
        if args.id is not None:
            say(exc.paths[0])
        say(f"warreader: note: {exc}", err=True)
        return EXIT_OK
    if not saved:
        say("warreader: no stories to save.", err=True)
    return EXIT_OK


def _repair(paths: Paths) -> int:
    from reader.store.repair import repair

    db = paths.ensure().db_file
    if not db.exists():
        say(f"warreader: there is no cache at {db} to repair.", err=True)
        return EXIT_FAIL
    report = repair(db)
    say(f"The damaged cache was moved to {report.moved_to} (kept, not deleted).")
    copied = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in report.copied.items())
    say(f"The new cache holds what could be read: {copied or 'nothing'}.")
    for table in report.unreadable:
        say(f"  {table.replace('_', ' ')}: could not be read at all.")
    for table, n in report.lost.items():
        say(f"  {table.replace('_', ' ')}: {n} damaged rows left out.")
    say("Run `warreader refresh` to fetch the feeds' stories again and rebuild entities.")
    return EXIT_OK


def _nothing_found(store: Store, cmd: str) -> str:
    """Why `list` or `search` printed nothing, in words (on stderr: stdout stays data)."""
    if store.count_stories() == 0:
        if not store.feeds():
            return ("warreader: the cache is empty. Add a feed (`warreader add URL`), or try "
                    "`warreader --sample list`.")
        return "warreader: no stories yet. Run `warreader refresh` to fetch them."
    return "warreader: no stories match." if cmd == "search" else \
        "warreader: no stories match these filters."


def run_command(args: argparse.Namespace, paths: Paths, config: Config) -> int:
    """Do the one job `args.command` names; the exit code."""
    cmd = args.command
    if cmd == "repair":
        return _repair(paths)
    paths.ensure()
    store = Store(paths.data_dir / "sample.sqlite3" if args.sample else paths.db_file)
    try:
        if args.sample and store.count_stories() == 0:
            # The same sample the reader opens with --sample, loaded the same way.
            from reader.pipeline.sample import load_sample

            say("Loading the sample stories…", err=True)
            load_sample(store, config)
        if cmd == "add":
            from reader.pipeline.subscribe import add_url

            message, _ = add_url(store, config, args.url)
            say(message)
            return EXIT_OK
        if cmd == "refresh":
            return _refresh(store, config, args)
        if cmd in ("list", "search"):
            if cmd == "search":
                stories = store.search(args.query, limit=args.limit)
            else:
                feed_id = _feed(store, args.feed).id if args.feed else None
                stories = store.stories(feed_id=feed_id, unread=True if args.unread else None,
                                        starred=True if args.starred else None, limit=args.limit)
            for story in stories:
                say(_story_json(story) if args.json else _story_line(story))
            if not stories:
                say(_nothing_found(store, cmd), err=True)
            return EXIT_OK
        if cmd == "show":
            body = store.body(args.id)
            if body is None:
                say(f"warreader: there is no story {args.id}.", err=True)
                return EXIT_FAIL
            if args.json:
                from reader.nlp.datewords import readable

                data = json.loads(_story_json(body.story))
                data.update(markdown=body.markdown, author=body.story.author,
                            full_text=body.full_text,
                            entities=[{"name": e.name, "kind": e.kind, "aliases": list(e.aliases),
                                       "count": e.count} for e in store.entities(args.id)],
                            timeline=[{"date": readable(f.date), "value": f.date,
                                       "fact": f.sentence}
                                      for f in store.timeline(args.id) if readable(f.date)])
                say(json.dumps(data, ensure_ascii=False))
            else:
                s = body.story
                say(f"# {s.title}\n")
                meta = [s.feed_title, s.author or "",
                        s.published.strftime("%Y-%m-%d %H:%M UTC") if s.published else "",
                        s.url or ""]
                say(" · ".join(m for m in meta if m) + "\n")
                say(body.markdown)
            return EXIT_OK
        if cmd == "feeds":
            for f in store.feeds():
                if args.json:
                    say(json.dumps({"id": f.id, "url": f.url, "title": f.title,
                                      "unread": f.unread, "total": f.total,
                                      "error": f.last_error}, ensure_ascii=False))
                else:
                    err = f"  ! {f.last_error}" if f.last_error else ""
                    say(f"{f.id:>4}  {f.unread:>5}/{f.total:<5} {f.title}  <{f.url}>{err}")
            return EXIT_OK
        if cmd == "import-opml":
            from reader.pipeline.subscribe import import_opml

            added, existing = import_opml(store, args.file)
            say(f"Subscribed to {counted(added, 'feed')} ({existing} already subscribed). "
                  "Run `warreader refresh` to fetch them.")
            return EXIT_OK
        if cmd == "export-opml":
            from reader.pipeline.subscribe import export_opml

            say(export_opml(store), end="")
            return EXIT_OK
        if cmd == "remove":
            feed = _feed(store, args.feed)
            store.remove_feed(feed.id)
            say(f"Removed {feed.title} and its {counted(feed.total, 'story', 'stories')}.")
            return EXIT_OK
        if cmd == "analyse":
            from reader.pipeline.refresh import run_analysis

            say(f"Analysed {counted(run_analysis(store), 'story', 'stories')}.")
            return EXIT_OK
        if cmd == "timeline":
            return _timeline(store, args)
        if cmd == "entities":
            return _entities(store, args)
        if cmd == "map":
            return _map(store, args)
        if cmd == "save":
            return _save(store, paths, config, args)
        raise AssertionError(cmd)
    finally:
        store.close()
