"""Attributes the server derives on read: links, URLs, logged time."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select


def fill(loader, name: str, rows, outs) -> None:
    """Set computed attribute `name` on every entity in `outs` that has it."""
    applicable = [(row, out) for row, out in zip(rows, outs) if name in loader.model.entities[out["__entity_type__"]].by_name]
    if not applicable:
        return
    if name in ("link", "_link"):
        _links(loader, name, applicable)
    elif name == "thumbnail_url":
        for row, out in applicable:
            out[name] = {"url": thumbnail_url(loader.base_url, row.get("thumbnail_id"))}
    elif name == "url":
        for row, out in applicable:
            out[name] = {"value": f"{loader.base_url}/component/get?id={row['component_id']}"}
    elif name in ("time_logged", "bid_time_logged_difference"):
        logged = time_logged(loader.conn, loader.tables, [row["id"] for row, _ in applicable])
        for row, out in applicable:
            seconds = logged.get(row["id"], 0)
            out[name] = seconds if name == "time_logged" else (row["bid"] or 0) - seconds


def thumbnail_url(base_url: str, component_id: str | None) -> str:
    if component_id is None:
        return f"{base_url}/img/thumbnail2.png"
    return f"{base_url}/component/thumbnail?id={component_id}"


def context_links(conn, tables, ids: set) -> dict[str, list[dict]]:
    """For each context id: its path from the project down to itself."""
    context = tables["context"]
    closure = tables["ContextAncestor"]
    links: dict[str, list[dict]] = {}
    if not ids:
        return links
    own = conn.execute(select(context.c.id, context.c.name, context.c.full_name, context.c.context_type).where(context.c.id.in_(ids)))
    ancestors = conn.execute(
        select(closure.c.descendant_id, context.c.id, context.c.name, context.c.full_name, context.c.context_type)
        .join(context, context.c.id == closure.c.ancestor_id)
        .where(closure.c.descendant_id.in_(ids))
        .order_by(closure.c.descendant_id, closure.c.depth.desc())
    )
    for descendant, *entry in ancestors:
        links.setdefault(descendant, []).append(_link_entry(*entry))
    for entry in own:
        links.setdefault(entry[0], []).append(_link_entry(*entry))
    return links


def _link_entry(id_: str, name: str, full_name: str | None, context_type: str) -> dict:
    if context_type == "show":
        return {"id": id_, "name": full_name or name, "type": "Project"}
    return {"id": id_, "name": name, "type": "TypedContext"}


def _links(loader, name: str, applicable) -> None:
    tables = loader.tables
    kind = loader.model.entities[applicable[0][1]["__entity_type__"]].table
    if kind == "context":
        links = context_links(loader.conn, tables, {row["id"] for row, _ in applicable})
        for row, out in applicable:
            out[name] = links.get(row["id"], [])
        return
    # Asset versions: the asset's context path, then the version itself.
    asset = tables["Asset"]
    assets = {
        r.id: r
        for r in loader.conn.execute(
            select(asset.c.id, asset.c.name, asset.c.context_id).where(asset.c.id.in_({row["asset_id"] for row, _ in applicable}))
        )
    }
    links = context_links(loader.conn, tables, {a.context_id for a in assets.values()})
    for row, out in applicable:
        owner = assets.get(row["asset_id"])
        path = list(links.get(owner.context_id, [])) if owner else []
        label = f"{owner.name if owner else ''} v{row['version'] or 0:03d}"
        out[name] = path + [{"id": row["id"], "name": label, "type": "AssetVersion"}]


def time_logged(conn, tables, ids: list[str]) -> dict[str, float]:
    """Seconds logged on each context and everything below it."""
    timelog = tables["Timelog"]
    closure = tables["ContextAncestor"]
    totals: dict[str, float] = defaultdict(float)
    own = select(timelog.c.context_id, func.sum(timelog.c.duration)).where(timelog.c.context_id.in_(ids)).group_by(timelog.c.context_id)
    below = (
        select(closure.c.ancestor_id, func.sum(timelog.c.duration))
        .join(timelog, timelog.c.context_id == closure.c.descendant_id)
        .where(closure.c.ancestor_id.in_(ids))
        .group_by(closure.c.ancestor_id)
    )
    for statement in (own, below):
        for context_id, seconds in conn.execute(statement):
            totals[context_id] += seconds or 0
    return totals
