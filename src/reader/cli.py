"""`warreader`: opens the reader, or does one job from a script.

Exit codes: 0 done; 1 failed (with a message on stderr); 2 bad usage;
3 refresh finished but some feeds failed; 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from reader.config import Config, load_config
from reader.errors import ReaderError
from reader.models import EntityKind, Feed, RefreshProgress, RefreshSummary, Story
from reader.paths import Paths, default_paths
from reader.store import Store
from reader.text import counted, strip_controls

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _date_arg(text: str) -> str:
    from reader.index.dates import date_filter

    try:
        return date_filter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="warreader",
        description="A keyboard-driven terminal news reader for following fast-moving stories.",
        epilog="Run without a command to open the reader. "
               "Exit codes: 0 ok, 1 failed, 2 usage, 3 some feeds failed, 130 interrupted.",
    )
    p.add_argument("--data-dir", type=Path, help="keep the cache and config under this folder")
    p.add_argument("--config", type=Path, help="config file (default: the platform config dir)")
    p.add_argument("--sample", action="store_true",
                   help="open the bundled sample stories (no network needed)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser("add", help="subscribe to a feed, or a page's feed, or keep a page")
    a.add_argument("url")
    r = sub.add_parser("refresh", help="fetch all feeds (or some) and their new stories")
    r.add_argument("feeds", nargs="*", help="feed ids, URLs or titles (default: all)")
    r.add_argument("--jobs", type=int, help="feeds fetched at once (default from config: 16)")
    r.add_argument("--feeds-only", action="store_true",
                   help="store feed items only: skip fetching full pages and analysis")
    r.add_argument("--quiet", action="store_true", help="no progress line")
    ls = sub.add_parser("list", help="list stories, newest first")
    ls.add_argument("--feed", help="feed id, URL or title")
    ls.add_argument("--unread", action="store_true")
    ls.add_argument("--starred", action="store_true")
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    sh = sub.add_parser("show", help="print a story as Markdown")
    sh.add_argument("id", type=int)
    sh.add_argument("--json", action="store_true")
    se = sub.add_parser("search", help="full-text search over every stored story")
    se.add_argument("query")
    se.add_argument("--limit", type=int, default=50)
    se.add_argument("--json", action="store_true")
    f = sub.add_parser("feeds", help="list subscribed feeds with counts and errors")
    f.add_argument("--json", action="store_true")
    im = sub.add_parser("import-opml", help="subscribe to the feeds in an OPML file")
    im.add_argument("file", type=Path)
    sub.add_parser("export-opml", help="print subscriptions as OPML")
    rm = sub.add_parser("remove", help="unsubscribe and delete a feed's stories")
    rm.add_argument("feed", help="feed id, URL or title")
    sub.add_parser("analyse", help="compute entities and timeline for stories lacking them")
    sub.add_parser("repair", help="move a damaged cache aside and rebuild it from what"
                                  " can still be read (subscriptions, stories, notes, tags)")
    tl = sub.add_parser("timeline", help="dated facts from every story, duplicates folded")
    tl.add_argument("--entity", help="only facts naming this entity (name or alias)")
    tl.add_argument("--feed", help="only facts from this feed (id, URL or title)")
    tl.add_argument("--since", type=_date_arg,
                    help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    tl.add_argument("--until", type=_date_arg, help="up to this date, inclusive")
    tl.add_argument("--limit", type=int, help="at most this many entries")
    tl.add_argument("--format", choices=("md", "csv", "json"), default="md")
    mp = sub.add_parser("map", help="the places of the developing story, as GeoJSON or SVG")
    mp.add_argument("--entity", help="only stories naming this entity (name or alias)")
    mp.add_argument("--feed", help="only stories from this feed (id, URL or title)")
    mp.add_argument("--since", type=_date_arg,
                    help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    mp.add_argument("--until", type=_date_arg, help="up to this date, inclusive")
    mp.add_argument("--format", choices=("geojson", "svg"), default="geojson")
    en = sub.add_parser("entities", help="people, places and organisations across all stories")
    en.add_argument("--kind", choices=[k.value for k in EntityKind])
    en.add_argument("--query", help="only names or aliases containing this")
    en.add_argument("--limit", type=int, default=200)
    en.add_argument("--format", choices=("md", "csv", "json"), default="md")
    sv = sub.add_parser("save", help="save stories with their notes as Markdown, JSON or HTML")
    sv.add_argument("id", type=int, nargs="?", help="the story to save")
    sv.add_argument("--starred", action="store_true", help="save every starred story")
    sv.add_argument("--tag", help="save every story with this tag (with --starred: both)")
    sv.add_argument("--format", choices=("md", "json", "html"), default="md")
    sv.add_argument("--to", type=Path, metavar="DIR",
                    help="folder to save into (default: save_dir from config, or Documents)")
    return p


def say(text: object = "", *, err: bool = False, end: str = "\n") -> None:
    """Print for the reader. Everything warreader prints comes through here: titles, bodies
    and error messages quote the web, and no escape sequence may reach the terminal."""
    (sys.stderr if err else sys.stdout).write(strip_controls(str(text)) + end)


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
        config = replace(config, network=replace(config.network, jobs=max(1, args.jobs)))
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


def _run(args: argparse.Namespace, paths: Paths, config: Config) -> int:
    cmd = args.command
    if cmd is None:
        return _open_app(args, paths, config)
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


def _open_app(args: argparse.Namespace, paths: Paths, config: Config) -> int:
    paths.ensure()
    db = paths.data_dir / "sample.sqlite3" if args.sample else paths.db_file
    store = Store(db)
    try:
        from reader.ui.data import preload

        first_screen = preload.read(store)
        from reader.ui.app import run_app

        return run_app(store, config, paths, sample=args.sample, first_screen=first_screen)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    paths = default_paths(args.data_dir)
    try:
        config = load_config(args.config or paths.config_file)
        return _run(args, paths, config)
    except ReaderError as exc:
        say(f"warreader: {exc}", err=True)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
