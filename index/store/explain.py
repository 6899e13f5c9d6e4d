"""Explain an entity's identity: its label vote and why each name belongs to it."""

from __future__ import annotations

from index.entities.curation import Curation, vote

__all__ = ["explain_lines"]

#: How each kind of step of :meth:`Curation.hops` is explained.
_HOPS = {"merge": "merged by you (aliases.toml [merge])", "equivalent": "a built-in equivalent"}


def explain_lines(store, curation: Curation, value: str) -> list[str]:
    """Lines explaining every entity ``value`` names (hidden ones too).

    Args:
        store: A :class:`~index.store.db.Store`.
        curation: The curation the store applied.
        value: A name, an alias or a key.

    Returns:
        Human-readable lines; one saying so when nothing matches.
    """
    ids = store.entities.find_entity_ids(value, None, include_hidden=True)
    if not ids:
        return [f"no entity is named {value!r}"]
    lines: list[str] = []
    for ent_id in ids:
        ent = store.entities.entity_by_id(ent_id)
        if ent is None:
            continue
        if lines:
            lines.append("")
        lines.append(
            f"{ent.name}  [{ent.key}]  {ent.articles} articles, {ent.mentions} mentions"
            + ("  (hidden by you)" if ent.hidden else "")
        )
        labels = store.entities.labels(ent_id)
        if labels:
            tally = ", ".join(f"{label} {n}" for label, n in labels.items())
            total = sum(labels.values())
            winner = vote(labels)
            how = "the only label" if len(labels) == 1 else f"the majority of {total} mentions"
            lines.append(f"  label {winner}: {how} ({tally})")
        root = ent.key.partition(":")[2]
        if root in curation.renames:
            lines.append(f"  shown as {ent.name!r}: renamed by you (aliases.toml [rename])")
        for alias_display, alias, auto, name, n in store.context.explain(ent_id):
            why: list[str] = []
            if name == alias and alias != auto:
                why.append("split off by you (aliases.toml split)")
            elif alias != auto:
                why.append(f"stands for {auto!r} in its article (a shorter form of that name)")
            why.extend(f"{_HOPS[hop]} of {nxt!r}" for nxt, hop in curation.hops(name))
            if not why:
                why.append("the same normal form" if alias == root else "its own name")
            lines.append(f"  {alias_display!r} x{n}: " + "; ".join(why))
    return lines
