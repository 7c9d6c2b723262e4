"""Saving annotated stories to files: Markdown (with YAML front matter), JSON or HTML.

File names come from `reader.slug`, never from a raw title, and always land inside the chosen
folder. A story saved again to the same folder updates its own file (the `saved_files` table
remembers which file is whose); a name already used by another story or by any file not
ours gets -2, -3, ... Files are written to a temporary file in the same folder, flushed to
disk and renamed over the target, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reader.config import Config
from reader.errors import SaveError, StoreError
from reader.export.markdown import to_markdown
from reader.export.record import story_record, to_json
from reader.models import Story
from reader.paths import Paths
from reader.slug import slugify
from reader.store import Store
from reader.text import clean_line

FORMATS = {"md": ".md", "json": ".json", "html": ".html"}
MAX_COUNTER = 999


def save_folder(paths: Paths, config: Config | None = None,
                override: str | os.PathLike[str] | None = None) -> Path:
    """Where saves go: `override` (--to), else the config's save_dir, else Paths.save_dir.
    The folder is created by the first save, not here."""
    if override:
        return Path(override).expanduser()
    if config is not None and config.save_dir:
        return Path(config.save_dir).expanduser()
    return paths.save_dir


def file_stem(story: Story) -> str:
    """"2022-09-10-ukrainian-flag-raised-in-balakliya": the date published (or fetched)
    and the title's slug."""
    when = story.published or story.fetched
    slug = slugify(story.title)
    return f"{when:%Y-%m-%d}-{slug}" if when else slug


def render(record: dict[str, Any], fmt: str) -> str:
    if fmt == "md":
        return to_markdown(record)
    if fmt == "json":
        return to_json(record)
    if fmt == "html":
        from reader.export.html import to_html  # markdown-it loads only for HTML

        return to_html(record)
    raise ValueError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")


def save_story(store: Store, story_id: int, *, fmt: str = "md", folder: Path) -> Path:
    """Write a story with its annotations into `folder` (created if needed); returns the file.

    Raises SaveError (disk full, permission denied, not a folder, no such story) and leaves
    no partial or temporary file behind.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
    story = store.story(story_id)
    if story is None:
        raise SaveError(f"There is no story {story_id}; it may have been removed.")
    data = render(story_record(store, story_id), fmt).encode("utf-8")
    root = _prepare(Path(folder))
    target = _own_file(store, story_id, fmt, root)
    if target is not None:
        with _errors(target, root):
            write_atomic(target, data)
    else:
        target = _write_new(store, story_id, root, file_stem(story), FORMATS[fmt], data)
    try:
        store.record_saved(target, story_id, fmt)
    except StoreError as exc:  # the file is there: say so, never report a plain failure
        raise UnrecordedSave([target], str(exc)) from None
    return target


class UnrecordedSave(SaveError):
    """The files were written, but the cache could not remember them (it is read-only or
    the disk is full): a later save of the same story writes a new copy."""

    def __init__(self, paths: list[Path], reason: str) -> None:
        self.paths = paths
        what = str(paths[0]) if len(paths) == 1 else f"{len(paths)} files"
        super().__init__(f"Saved {what}, but warreader will not remember it: {reason}")


def save_many(store: Store, *, starred: bool = False, tag: str | None = None, fmt: str = "md",
              folder: Path, on_saved: Callable[[Path], None] | None = None) -> list[Path]:
    """Save every starred story, or every story with `tag`, or (both given) those with both.

    `on_saved` hears of each file as it is written. Stops at the first SaveError.
    """
    if not starred and tag is None:
        raise ValueError("Say which stories to save: starred ones, a tag, or both.")
    if tag is not None:
        ids = store.story_ids_with_tag(tag)
        if starred:
            ids = [i for i in ids if (s := store.story(i)) is not None and s.starred]
    else:
        ids = []
        while page := store.stories(starred=True, limit=500, offset=len(ids)):
            ids += [s.id for s in page]
    paths: list[Path] = []
    unrecorded: UnrecordedSave | None = None
    for story_id in ids:
        try:
            path = save_story(store, story_id, fmt=fmt, folder=folder)
        except UnrecordedSave as exc:
            path, unrecorded = exc.paths[0], exc
        paths.append(path)
        if on_saved is not None:
            on_saved(path)
    if unrecorded is not None:
        reason = str(unrecorded).split(": ", 1)[-1]
        raise UnrecordedSave(paths, reason)
    return paths


# Files -------------------------------------------------------------------------------------

def _shown(path: Path) -> str:
    return clean_line(str(path), 300)


@contextlib.contextmanager
def _errors(path: Path, folder: Path) -> Iterator[None]:
    """OSError as a SaveError whose message says what went wrong in the reader's terms."""
    try:
        yield
    except OSError as exc:
        code = exc.errno
        if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            msg = f"The disk is full: could not save {_shown(path)}."
        elif code in (errno.EACCES, errno.EPERM):
            msg = f"Cannot write to folder {_shown(folder)}: permission denied."
        elif code == errno.EROFS:
            msg = f"Cannot write to folder {_shown(folder)}: the disk is read-only."
        elif code in (errno.ENOTDIR, errno.EEXIST):
            msg = f"Cannot save into {_shown(folder)}: it is not a folder."
        elif code == errno.ENAMETOOLONG:
            msg = f"Cannot save into {_shown(folder)}: the path is too long."
        else:
            msg = f"Could not save {_shown(path)}: {exc.strerror or exc}."
        raise SaveError(msg) from None


def _prepare(folder: Path) -> Path:
    with _errors(folder, folder):
        folder.mkdir(parents=True, exist_ok=True)
        root = folder.resolve()
        if not root.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(folder))
    return root


def _inside(path: Path, root: Path) -> bool:
    return path.parent == root and path.resolve().parent == root and not path.is_symlink()


def _own_file(store: Store, story_id: int, fmt: str, root: Path) -> Path | None:
    """The file this story was last saved to in `root` in this format, if still usable."""
    for path in store.saved_paths(story_id, fmt):
        if path.parent == root and _inside(path, root) and not path.is_dir():
            return path
    return None


def _write_new(store: Store, story_id: int, root: Path, stem: str, ext: str,
               data: bytes) -> Path:
    """Claim the first free name stem.ext, stem-2.ext, ... and write `data` to it.

    A name is claimed by creating it exclusively, so two savers can never pick the same one.
    """
    for n in range(1, MAX_COUNTER + 1):
        target = root / f"{stem}{'' if n == 1 else f'-{n}'}{ext}"
        if target.is_symlink():
            continue  # never write through a link, wherever it points
        if not _inside(target, root):  # defence in depth: slugs hold no separators
            raise SaveError(f"Refusing to save outside {_shown(root)}.")
        owner = store.saved_file_owner(target)
        if owner is not None and owner != story_id:
            continue
        with _errors(target, root):
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            os.close(fd)
            try:
                write_atomic(target, data)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(target)
                raise
        return target
    raise SaveError(f"Too many files named {stem}{ext} in {_shown(root)}.")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once: temp file in the same folder, fsync, rename.

    On any error the temporary file is removed and `path` is as it was.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name[:40]}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask decides, as for any new document
            break
        except FileExistsError:
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
