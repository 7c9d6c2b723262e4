"""`warreader`: opens the reader, or does one job from a script (reader.cli.commands).

Exit codes: 0 done; 1 failed (with a message on stderr); 2 bad usage;
3 refresh finished but some feeds failed; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.output import EXIT_FAIL, EXIT_INTERRUPTED, EXIT_OK, say
from reader.config import Config, load_config
from reader.errors import ReaderError
from reader.models import EntityKind
from reader.paths import Paths, default_paths
from reader.store import Store


def _date_arg(text: str) -> str:
    from reader.index.dates import date_filter

    try:
        return date_filter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_filters(parser: argparse.ArgumentParser, what: str) -> None:
    """The entity, feed and date filters of the developing story's exports (`what`: the
    things filtered, "facts" or "stories")."""
    parser.add_argument("--entity", help=f"only {what} naming this entity (name or alias)")
    parser.add_argument("--feed", help=f"only {what} from this feed (id, URL or title)")
    parser.add_argument("--since", type=_date_arg,
                        help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parser.add_argument("--until", type=_date_arg, help="up to this date, inclusive")


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
    _add_filters(tl, "facts")
    tl.add_argument("--limit", type=int, help="at most this many entries")
    tl.add_argument("--format", choices=("md", "csv", "json"), default="md")
    mp = sub.add_parser("map", help="the places of the developing story, as GeoJSON or SVG")
    _add_filters(mp, "stories")
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


def _run(args: argparse.Namespace, paths: Paths, config: Config) -> int:
    if args.command is None:
        return _open_app(args, paths, config)
    # Imported for a command only: opening the reader, the start that has to be quick, does
    # not compile the commands' code.
    from reader.cli.commands import run_command

    return run_command(args, paths, config)


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
