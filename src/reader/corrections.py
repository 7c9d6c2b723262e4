"""Applying a reader's entity corrections (remove, retype, merge) to extracted entities.

Pure logic on models: the store keeps the corrections, the index and the UI apply them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reader.models import Entity, EntityCorrection


def _find(entities: list[Entity], name: str) -> int | None:
    """Where `name` is: by name, then ignoring case, then as an alias (a re-analysis may
    have chosen another spelling as the entity's name)."""
    for match in (lambda e: e.name == name,
                  lambda e: e.name.casefold() == name.casefold(),
                  lambda e: any(a.casefold() == name.casefold() for a in e.aliases)):
        for i, e in enumerate(entities):
            if match(e):
                return i
    return None


def _merge(into: Entity, other: Entity) -> Entity:
    aliases: list[str] = []
    for alias in (*into.aliases, other.name, *other.aliases):
        if alias != into.name and alias not in aliases:
            aliases.append(alias)
    mentions = tuple(sorted(set(into.mentions) | set(other.mentions)))
    return replace(into, aliases=tuple(aliases), mentions=mentions)


def apply_corrections(entities: Sequence[Entity],
                      fixes: Sequence[EntityCorrection]) -> tuple[list[Entity], dict[str, str]]:
    """The entities after `fixes`, in order, and how names changed: {old name: new name},
    with "" for a removed entity. A fix whose entity is not there is skipped."""
    out = list(entities)
    renamed: dict[str, str] = {}
    for fix in fixes:
        i = _find(out, fix.name)
        if i is None:
            continue
        old = out[i]
        if fix.action == "remove":
            del out[i]
            renamed[old.name] = ""
        elif fix.action == "retype" and fix.kind:
            out[i] = replace(old, kind=fix.kind)
        elif fix.action == "merge" and fix.target:
            j = _find(out, fix.target)
            if j == i:
                continue
            if j is None:
                out[i] = _merge(replace(old, name=fix.target, aliases=()), old)
                renamed[old.name] = fix.target
            else:
                out[j] = _merge(out[j], old)
                renamed[old.name] = out[j].name
                del out[i]
    # A later fix may have renamed a name that an earlier one pointed at: follow the chain.
    for was, now in renamed.items():
        seen = {was}
        while now in renamed and now not in seen:
            seen.add(now)
            now = renamed[now]
        renamed[was] = now
    return out, renamed
