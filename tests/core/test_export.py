"""Saving stories to Markdown, JSON and HTML files: content round trips, safe names, atomic
writes and clear errors. Real SQLite files and real folders under tmp_path."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.config import Config
from reader.errors import SaveError
from reader.export.files import save_folder, save_many, save_story
from reader.export.markdown import to_yaml
from reader.export.record import mark_highlights
from reader.models import Entity, ParsedEntry, TimelineFact
from reader.paths import Paths, default_paths
from reader.slug import MAX_BYTES, slugify
from reader.store import Store

BODY = (
    "Ukrainian soldiers raised the national flag over the town hall in **Balakliya** on"
    " Saturday, regional governor Oleh Syniehubov said.\n\n"
    "## Advance\n\n"
    "- Troops moved towards Kupiansk and Izium.\n"
    "- Syniehubov said [residents](https://example.org/r) were safe.\n\n"
    "```\ncode block\n```\n"
)


def _at(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


def _add_story(store: Store, title: str = "Ukrainian flag raised in Balakliya",
               guid: str = "g1", body: str = BODY) -> int:
    feed = store.add_feed("http://127.0.0.1/feed.xml", "Kharkiv Dispatch")
    entry = ParsedEntry(guid=guid, title=title, url="https://example.org/balakliya",
                        published=dt.datetime(2022, 9, 10, 14, 0, tzinfo=dt.UTC),
                        author="Olena K.")
    [sid] = store.store_entries(feed.id, [entry], [body])
    return sid


def _sample(store: Store, **kw: Any) -> int:
    """A story like the bundled sample, with every kind of annotation."""
    sid = _add_story(store, **kw)
    entities = [
        Entity("Balakliya", "place", (), (_at("Balakliya"),)),
        Entity("Oleh Syniehubov", "person", ("Syniehubov",),
               (_at("Oleh Syniehubov"), _at("Syniehubov said ["))),
        Entity("Kupiansk", "organization", (), (_at("Kupiansk"),)),
        Entity("Izium", "place", (), (_at("Izium"),)),
        Entity("Izyum", "place", (), ()),
        Entity("Saturday", "person", (), (_at("Saturday"),)),
    ]
    facts = [TimelineFact("2022-09-10", _at("raised the national flag"),
                          "Ukrainian soldiers raised the national flag in Balakliya.",
                          ("Balakliya", "Saturday", "Izyum"), relative=True)]
    store.store_analysis(sid, entities, facts)
    store.retype_entity(sid, "Kupiansk", "place")
    store.merge_entities(sid, "Izyum", "Izium")
    store.remove_entity(sid, "Saturday")
    store.set_tags(sid, ["Kharkiv offensive", "flags"])
    quote = "raised the national flag over the town hall"
    store.add_note(sid, 'First town retaken: "a turning point"\nsee also Izium',
                 quote, *_at(quote))
    store.add_highlight(sid, *_at("regional governor Oleh Syniehubov"),
                      "regional governor Oleh Syniehubov")
    store.add_highlight(sid, *_at("Troops moved towards Kupiansk and Izium.\n- Syniehubov"),
                      "Troops moved towards Kupiansk and Izium.\n- Syniehubov")
    store.set_starred(sid)
    return sid


def _front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# Round trips -------------------------------------------------------------------------------

def test_markdown_front_matter_round_trips_with_the_store(store: Store, tmp_path: Path) -> None:
    sid = _sample(store)
    path = save_story(store, sid, fmt="md", folder=tmp_path / "out")
    assert path.name == "2022-09-10-ukrainian-flag-raised-in-balakliya.md"
    meta, body = _front_matter(path)
    story = store.story(sid)
    assert story is not None
    assert meta["title"] == story.title and meta["url"] == story.url
    assert meta["source"] == "Kharkiv Dispatch" and meta["author"] == "Olena K."
    assert meta["published"] == "2022-09-10T14:00:00+00:00" and meta["starred"] is True
    assert meta["tags"] == store.tags(sid) == ["flags", "Kharkiv-offensive"]
    assert meta["warreader_id"] == sid and meta["schema_version"] == 1
    fixed = store.corrected_entities(sid)
    assert {k: [(e["name"], e["aliases"], e["count"]) for e in v]
            for k, v in meta["entities"].items()} == {
        kind: [(e.name, list(e.aliases), e.count) for e in fixed if e.kind == kind]
        for kind in {e.kind for e in fixed}}
    assert list(meta["entities"]) == ["person", "place"]
    assert meta["timeline"] == [{"date": f.date, "fact": f.sentence}
                                for f in store.timeline(sid)]
    assert meta["notes"] == [{"text": n.text, "quote": n.quote} for n in store.notes(sid)]
    # The body: title, byline, highlights line by line, code untouched, then the notes.
    assert "# Ukrainian flag raised in Balakliya" in body
    assert "==regional governor Oleh Syniehubov== said." in body
    assert "- ==Troops moved towards Kupiansk and Izium.==\n- ==Syniehubov== said" in body
    assert "```\ncode block\n```" in body
    assert body.rstrip().endswith("see also Izium")
    assert "> raised the national flag over the town hall" in body


def test_json_round_trips_with_the_store(store: Store, tmp_path: Path) -> None:
    sid = _sample(store)
    path = save_story(store, sid, fmt="json", folder=tmp_path / "out")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["id"] == sid
    body = store.body(sid)
    assert body is not None
    assert data["title"] == body.story.title and data["body"] == body.markdown
    assert data["tags"] == store.tags(sid)
    assert data["entities"] == [
        {"name": e.name, "kind": e.kind, "aliases": list(e.aliases), "count": e.count,
         "mentions": [list(m) for m in e.mentions]}
        for e in store.corrected_entities(sid)]
    # Fact entities follow the corrections: merged names renamed, removed ones dropped.
    assert data["timeline"] == [{"date": "2022-09-10", "value": "2022-09-10",
                                 "fact": store.timeline(sid)[0].sentence,
                                 "entities": ["Balakliya", "Izium"], "relative": True}]
    assert [(n["text"], n["quote"], n["quote_start"], n["quote_end"]) for n in data["notes"]] \
        == [(n.text, n.quote, n.quote_start, n.quote_end) for n in store.notes(sid)]
    assert [(h["start"], h["end"], h["text"]) for h in data["highlights"]] \
        == [(h.start, h.end, h.text) for h in store.highlights(sid)]
    for h in data["highlights"]:
        assert data["body"][h["start"]:h["end"]] == h["text"]


def test_html_is_self_contained_escaped_and_marks_highlights(store: Store,
                                                             tmp_path: Path) -> None:
    hostile = BODY + ("\n<script>alert(1)</script> [x](javascript:alert(1))"
                      " <img src=x onerror=alert(1)>\n")
    sid = _add_story(store, title='<img src=x onerror="alert(1)"> & "quotes"', body=hostile)
    store.add_highlight(sid, *_at("regional governor"), "regional governor")
    store.add_note(sid, "<b>not bold</b>")
    page = save_story(store, sid, fmt="html", folder=tmp_path / "out").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "Content-Security-Policy" in page
    assert "<mark>regional governor</mark>" in page
    assert "<script" not in page and "<img src=x" not in page and "<b>" not in page
    assert 'href="javascript' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quotes&quot;" in page
    assert "<strong>Balakliya</strong>" in page  # the Markdown body is rendered
    assert not re.search(r"(src|href)=\"(?!https?://)", page.split("</header>")[1])


def test_a_highlight_whose_text_moved_is_found_again(store: Store, tmp_path: Path) -> None:
    sid = _add_story(store)
    store.add_highlight(sid, 0, 5, "Izium")  # offsets stale: the body was re-extracted
    store.add_highlight(sid, 1, 4, "not in the body")
    body = _front_matter(save_story(store, sid, folder=tmp_path))[1]
    assert body.count("==") == 2 and "==Izium==" in body


@pytest.mark.parametrize("body, passage, marked", [
    ("one two three", "two", "one ==two== three"),
    ("## Head line\n\ntext", "## Head line\n\nte", "## ==Head line==\n\n==te==xt"),
    ("> quoted words", "> quoted", "> ==quoted== words"),
    ("1. item one\n2. item two", "one\n2. item", "1. item ==one==\n2. ==item== two"),
    ("see [the link](http://x/a) now", "link](http", "see ==[the link](http://x/a)== now"),
    ("run `a b c` now", "b c` now", "run ==`a b c` now=="),
    ("a\n\n---\n\nb", "a\n\n---\n\nb", "==a==\n\n---\n\n==b=="),
    ("x\n```\ncode\n```\ny", "x\n```\ncode", "==x==\n```\ncode\n```\ny"),
    ("  spaced  ", "  spaced  ", "  ==spaced==  "),
])
def test_mark_highlights(body: str, passage: str, marked: str) -> None:
    start = body.index(passage)
    assert mark_highlights(body, [(start, start + len(passage))], "==", "==") == marked


# Names and places --------------------------------------------------------------------------

@pytest.mark.parametrize("title", [
    "../../etc/passwd\x1b[2J", "x" * 300, "", "CON", "nul", "/", "..", "a/b\\c:d*e?f",
    "\u202egnp.exe", ".hidden", "\x00\x01\x02",
])
def test_hostile_titles_are_saved_safely_inside_the_folder(store: Store, tmp_path: Path,
                                                          title: str) -> None:
    folder = tmp_path / "out"
    sid = _add_story(store, title=title)
    for fmt in ("md", "json", "html"):
        path = save_story(store, sid, fmt=fmt, folder=folder)
        assert path.parent == folder.resolve() and path.resolve().parent == folder.resolve()
        assert re.fullmatch(r"2022-09-10-[\w-]+\.(md|json|html)", path.name)
        assert len(path.name.encode()) < 255 and path.is_file()
    meta, _ = _front_matter(folder / path.name.replace(".html", ".md"))
    assert "\x1b" not in meta["title"] and "\x00" not in meta["title"]
    assert _files(tmp_path).count("out") == 1  # nothing escaped into the parent


def test_same_name_for_another_story_gets_a_counter(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    a = _add_story(store, guid="a")
    b = _add_story(store, guid="b")
    (folder / "x").mkdir(parents=True)
    mine = folder / "2022-09-10-ukrainian-flag-raised-in-balakliya-3.md"
    mine.write_text("the reader's own file")
    pa = save_story(store, a, folder=folder)
    pb = save_story(store, b, folder=folder)
    pc = save_story(store, _add_story(store, guid="c"), folder=folder)
    assert pa.name == "2022-09-10-ukrainian-flag-raised-in-balakliya.md"
    assert pb.name == "2022-09-10-ukrainian-flag-raised-in-balakliya-2.md"
    assert pc.name == "2022-09-10-ukrainian-flag-raised-in-balakliya-4.md"
    assert mine.read_text() == "the reader's own file"
    # A's file removed by hand: the name still belongs to A, so B keeps its own file.
    pa.unlink()
    assert save_story(store, b, folder=folder) == pb
    assert save_story(store, a, folder=folder) == pa


def test_saving_again_after_a_new_note_updates_the_same_file(store: Store,
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "out"
    sid = _add_story(store)
    first = save_story(store, sid, folder=folder)
    store.add_note(sid, "A second look: the flag was raised on 8 September.")
    second = save_story(store, sid, folder=folder)
    assert second == first and _files(folder) == [first.name]
    meta, _ = _front_matter(second)
    assert [n["text"] for n in meta["notes"]] == [
        "A second look: the flag was raised on 8 September."]
    assert store.saved_paths(sid, "md") == [first]
    # Another folder gets its own copy; both are remembered.
    other = save_story(store, sid, folder=tmp_path / "elsewhere")
    assert other.parent == (tmp_path / "elsewhere").resolve()
    assert set(store.saved_paths(sid, "md")) == {first, other}
    assert save_story(store, sid, folder=folder) == first


def test_a_symlink_in_place_of_our_file_is_not_written_through(store: Store,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "out"
    sid = _add_story(store)
    path = save_story(store, sid, folder=folder)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    path.unlink()
    path.symlink_to(victim)
    again = save_story(store, sid, folder=folder)
    assert again != path and again.parent == folder.resolve()
    assert victim.read_text() == "precious"


def test_save_folder_precedence(tmp_path: Path) -> None:
    paths = default_paths(tmp_path / "home")
    assert save_folder(paths) == paths.save_dir
    assert save_folder(paths, Config(save_dir="~/Notes")) == Path("~/Notes").expanduser()
    assert save_folder(paths, Config(save_dir="~/Notes"), tmp_path / "to") == tmp_path / "to"


def test_unknown_story_or_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="no story 99"):
        save_story(store, 99, folder=tmp_path)
    with pytest.raises(ValueError):
        save_story(store, _add_story(store), fmt="pdf", folder=tmp_path)


# Failures ----------------------------------------------------------------------------------

def test_a_folder_under_a_file_is_a_save_error(store: Store, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    sid = _add_story(store)
    with pytest.raises(SaveError, match="not a folder"):
        save_story(store, sid, folder=tmp_path / "afile" / "sub")
    with pytest.raises(SaveError, match="not a folder"):
        save_story(store, sid, folder=tmp_path / "afile")
    assert (tmp_path / "afile").read_text() == "x"
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".tmp", ".md")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores folder permissions, so chmod cannot make a folder "
                           "read-only (the ENOTDIR and ENOSPC tests cover the clean-up)")
def test_read_only_folder_is_a_save_error(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="permission denied"):
            save_story(store, _add_story(store), folder=folder)
        assert _files(folder) == []
    finally:
        folder.chmod(0o755)


def test_disk_full_leaves_no_partial_or_temp_file(store: Store, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC is simulated: os.write writes part of the data, then fails as a full disk does.
    (No real full disk can be made here without mount privileges.)"""
    folder = tmp_path / "out"
    sid = _add_story(store)
    old = save_story(store, sid, folder=folder)
    old_text = old.read_text()
    real_write = os.write

    def full_disk(fd: int, data: Any) -> int:
        if len(data) > 10:
            real_write(fd, bytes(data[:10]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    store.add_note(sid, "this will not fit")
    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(SaveError, match=r"^The disk is full: could not save .*\.md\.$"):
        save_story(store, sid, folder=folder)
    b = _add_story(store, guid="b", title="Another story")
    with pytest.raises(SaveError, match="The disk is full"):
        save_story(store, b, folder=folder)
    monkeypatch.undo()
    assert _files(folder) == [old.name] and old.read_text() == old_text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs RLIMIT_FSIZE")
def test_a_real_failed_write_leaves_no_file(store: Store, tmp_path: Path) -> None:
    """A real short write: the file-size limit makes write() fail with EFBIG mid-file."""
    folder = tmp_path / "out"
    sid = _add_story(store, body=BODY * 200)
    store.close()
    code = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from reader.store import Store\n"
        "from reader.export.files import save_story\n"
        "from reader.errors import SaveError\n"
        "store = Store(Path(sys.argv[1]))\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))\n"
        "try:\n"
        f"    save_story(store, {sid}, folder=Path(sys.argv[2]))\n"
        "except SaveError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "cache.sqlite3"),
                          str(folder)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Could not save ") and "too large" in out.stdout
    assert _files(folder) == []


# Bulk and CLI ------------------------------------------------------------------------------

def test_save_many_by_starred_tag_or_both(store: Store, tmp_path: Path) -> None:
    a, b, c = (_add_story(store, guid=g, title=f"Story {g}") for g in "abc")
    store.set_starred(a)
    store.set_starred(b)
    store.add_tag(b, "izium")
    store.add_tag(c, "izium")
    names = lambda paths: sorted(p.name for p in paths)  # noqa: E731
    assert names(save_many(store, starred=True, folder=tmp_path / "s")) == [
        "2022-09-10-story-a.md", "2022-09-10-story-b.md"]
    heard: list[Path] = []
    got = save_many(store, tag="Izium", fmt="json", folder=tmp_path / "t", on_saved=heard.append)
    assert names(got) == ["2022-09-10-story-b.json", "2022-09-10-story-c.json"] and heard == got
    assert names(save_many(store, starred=True, tag="izium", folder=tmp_path / "u")) == [
        "2022-09-10-story-b.md"]
    with pytest.raises(ValueError):
        save_many(store, folder=tmp_path)


def test_cli_save(isolated_home: Paths, tmp_path: Path,
                  capsys: pytest.CaptureFixture[str]) -> None:
    with Store(isolated_home.ensure().db_file) as store:
        sid = _sample(store)
        other = _add_story(store, guid="b", title="Izium liberated")
        store.add_tag(other, "izium")
    assert main(["save", str(sid)]) == 0
    out = capsys.readouterr().out.strip()
    assert out == str(isolated_home.save_dir.resolve()
                      / "2022-09-10-ukrainian-flag-raised-in-balakliya.md")
    assert main(["save", str(sid), "--format", "html", "--to", str(tmp_path / "to")]) == 0
    assert capsys.readouterr().out.strip().endswith(".html")
    assert main(["save", "--tag", "izium", "--format", "json", "--to", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(
        tmp_path.resolve() / "2022-09-10-izium-liberated.json")
    assert main(["save", "--starred", "--to", str(tmp_path / "st")]) == 0
    assert capsys.readouterr().out.strip().endswith("balakliya.md")
    assert main(["save"]) == 2
    assert main(["save", str(sid), "--starred"]) == 2
    (tmp_path / "file").write_text("x")
    assert main(["save", str(sid), "--to", str(tmp_path / "file")]) == 1
    assert "not a folder" in capsys.readouterr().err
    assert main(["save", "424242"]) == 1
    assert "no story 424242" in capsys.readouterr().err


# Properties --------------------------------------------------------------------------------

@pytest.mark.parametrize("title, slug", [
    ("Ukrainian flag raised in Balakliya", "ukrainian-flag-raised-in-balakliya"),
    ("Балаклія: над містом підняли прапор", "балаклія-над-містом-підняли-прапор"),
    ("Café straße — Łódź", "cafe-strasse-lodz"),
    ("", "untitled"), ("…!?", "untitled"), ("CON", "_con"), ("lpt1", "_lpt1"),
    ("../../etc/passwd\x1b[2J", "etc-passwd"),
])
def test_slugify_examples(title: str, slug: str) -> None:
    assert slugify(title) == slug


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=8, max_value=200))
def test_slugify_properties(title: str, max_len: int) -> None:
    slug = slugify(title, max_len)
    assert slug and len(slug) <= max_len and len(slug.encode()) <= MAX_BYTES
    assert not any(c in slug for c in "/\\.:*?\"<>|") and slug.isprintable()
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert slug.lower() not in {"con", "prn", "aux", "nul"}
    assert slugify(slug, max_len) == slug
    folder = Path("/tmp/warreader-slug-test").resolve()
    assert (folder / f"2022-09-10-{slug}.md").resolve().parent == folder


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text())
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(), inner, max_size=4)), max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), _VALUES, max_size=6))
def test_yaml_emitter_round_trips_through_pyyaml(data: dict[str, Any]) -> None:
    assert yaml.safe_load(to_yaml(data)) == (data or None)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_characters="\ue000\ue001"), max_size=200),
       st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=5))
def test_marks_only_add_balanced_markers_within_lines(body: str,
                                                      spans: list[tuple[int, int]]) -> None:
    spans = [(min(a, b), max(a, b)) for a, b in spans if min(a, b) < len(body)]
    out = mark_highlights(body, spans, "\ue000", "\ue001")
    assert out.replace("\ue000", "").replace("\ue001", "") == body
    for line in out.split("\n"):
        # A linear scan: markers alternate open/close, each pair encloses text, none dangles.
        markers = [(i, c) for i, c in enumerate(line) if c in "\ue000\ue001"]
        assert [c for _, c in markers] == ["\ue000", "\ue001"] * (len(markers) // 2), line
        pairs = zip(markers[::2], markers[1::2], strict=True)
        assert all(b - a > 1 for (a, _), (b, _) in pairs), line


def test_saved_dates_are_words_and_vague_ones_are_left_out(store: Store, tmp_path: Path) -> None:
    sid = _add_story(store)
    facts = [TimelineFact("2022-W36", _at("raised the national flag"),
                          "Troops advanced all week.", (), relative=True),
             TimelineFact("PAST_REF", _at("raised the national flag"),
                          "The town was shelled recently.", (), relative=True),
             TimelineFact("2022-SU", _at("raised the national flag"),
                          "The offensive was planned in the summer.", ())]
    store.store_analysis(sid, [], facts)
    data = json.loads(save_story(store, sid, fmt="json", folder=tmp_path / "j")
                      .read_text(encoding="utf-8"))
    assert [(f["date"], f["value"]) for f in data["timeline"]] == [
        ("week of 5 Sep 2022", "2022-W36"), ("summer 2022", "2022-SU")]
    meta, _ = _front_matter(save_story(store, sid, fmt="md", folder=tmp_path / "m"))
    assert [f["date"] for f in meta["timeline"]] == ["week of 5 Sep 2022", "summer 2022"]
    html = save_story(store, sid, fmt="html", folder=tmp_path / "h").read_text(encoding="utf-8")
    assert "week of 5 Sep 2022" in html and "summer 2022" in html
    shown = json.dumps([{k: v for k, v in f.items() if k != "value"} for f in data["timeline"]])
    for saved in (shown, str(meta), html):
        assert "W36" not in saved and "-SU" not in saved and "_REF" not in saved
        assert "recently" not in saved
