"""A production-sized openftrack database, written with bulk SQL inserts.

At scale 1.0: 100 projects (one of them ten times the size of the others),
1,000 sequences, 20,000 shots, 100,000 tasks, 20,000 assets with 200,000
versions, a number custom attribute "fstart" on tasks with values for 40% of
them, and the ContextAncestor closure of the whole tree. Rows go in through the
server's own `Database` and SQLAlchemy tables, one executemany per chunk, in one
transaction. Everything is derived from a seeded random generator, so the same
scale always gives the same data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
import uuid
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from ftrack_server.model import MODEL
from ftrack_server.store import seed
from ftrack_server.store.database import Database
from ftrack_server.store.setup import initialise
from ftrack_server.store.tables import build_metadata

GENERATOR = 1
"""Bump when the generated data changes, so cached databases are rebuilt."""

API_USER = "admin"
API_KEY = "bench-server-key"
DESCRIPTION = "dataset.json"
DATABASE = "ftrack.sqlite"

SHOTS = 20_000
PROJECTS = 100
BIG_SHARE = 0.10
"""Share of all shots in the one big project the queries look at."""
SHOTS_PER_SEQUENCE = 20
TASKS_PER_SHOT = 5
ASSETS_PER_SHOT = (2, 1, 0, 1)
"""Assets of consecutive shots, in turn: one per shot on average."""
VERSIONS_PER_ASSET = 10
FSTART_SHARE = 0.4

# (task name, task type): every shot gets five of these, so only some have a "comp" task.
TASK_POOL = [
    ("layout", "Previz"),
    ("animation", "Animation"),
    ("fx", "FX"),
    ("lighting", "Lighting"),
    ("comp", "Compositing"),
    ("tracking", "Tracking"),
    ("roto", "Compositing"),
    ("modeling", "Modeling"),
]
TASK_STATUSES = [("Not started", 30), ("In progress", 35), ("Awaiting approval", 15), ("Approved", 20)]
SHOT_STATUSES = [("Normal", 85), ("On Hold", 10), ("Omitted", 5)]
PRIORITIES = ["None", "Low", "Medium", "High", "Urgent"]
ASSETS = [("plate", "Image"), ("comp", "Image"), ("fx_smoke", "Geometry"), ("camera", "Camera")]

OBJECT_TYPES = seed.OBJECT_TYPE_IDS
START = dt.datetime(2024, 1, 8, 9, 0, 0)


def status_id(name: str) -> str:
    return seed.STATUS_NOT_STARTED_ID if name == "Not started" else seed.stable_id("Status", name)


def priority_id(name: str) -> str:
    return seed.PRIORITY_DEFAULT_ID if name == "None" else seed.stable_id("Priority", name)


FSTART_CONFIGURATION_ID = seed.stable_id("CustomAttributeConfiguration", "bench/fstart")


def schema_fingerprint() -> str:
    """A hash of the server's tables and indexes: a cached database made for another schema is rebuilt."""
    metadata = build_metadata(MODEL)
    dialect = sqlite.dialect()
    ddl = [str(CreateTable(t).compile(dialect=dialect)) for t in metadata.sorted_tables]
    ddl += [str(CreateIndex(i).compile(dialect=dialect)) for t in metadata.sorted_tables for i in t.indexes]
    return hashlib.sha1("\n".join(sorted(ddl)).encode()).hexdigest()[:16]


def ensure(directory: Path, scale: float) -> dict:
    """The description of the dataset in `directory`, generating it when missing, of another scale or schema."""
    described = directory / DESCRIPTION
    wanted = {"scale": scale, "generator": GENERATOR, "schema": schema_fingerprint()}
    if described.exists() and (directory / DATABASE).exists():
        found = json.loads(described.read_text())
        if all(found.get(k) == v for k, v in wanted.items()):
            return {**found, "reused": True}
    found = {**generate(directory, scale), "schema": wanted["schema"]}
    described.write_text(json.dumps(found, indent=2))
    return {**found, "reused": False}


def generate(directory: Path, scale: float) -> dict:
    """Write a fresh database of `scale` into `directory`; return its counts and timing."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob(DATABASE + "*"):
        stale.unlink()
    started = time.perf_counter()
    db = Database.in_directory(directory)
    initialise(db, API_USER, API_KEY)
    rng = random.Random(f"openftrack-bench-{scale}")
    with db.transaction() as conn:
        bulk = _Bulk(conn, db.tables)
        big = _Generator(rng, bulk).run(_shots_per_project(scale))
        bulk.flush()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = _counts(conn, db.tables)
    db.dispose()
    return {
        "generator": GENERATOR,
        "scale": scale,
        "seconds": round(time.perf_counter() - started, 1),
        "counts": counts,
        "big_project_id": big,
        "size_mb": round((directory / DATABASE).stat().st_size / 1e6, 1),
    }


def _shots_per_project(scale: float) -> list[int]:
    """Shots of each project: one big project in the middle, the rest shared evenly."""
    projects = max(2, round(PROJECTS * scale))
    shots = max(projects * 2, round(SHOTS * scale))
    big = round(shots * BIG_SHARE)
    share, extra = divmod(shots - big, projects - 1)
    sizes = [share + (1 if i < extra else 0) for i in range(projects - 1)]
    sizes.insert(projects // 2, big)
    return sizes


class _Bulk:
    """Rows buffered per table, inserted with one executemany per chunk."""

    def __init__(self, conn, tables, chunk: int = 20_000):
        self.conn = conn
        self.tables = tables
        self.chunk = chunk
        self.rows: dict[str, list[dict]] = {}
        self.columns = {name: [c.name for c in table.c if c.name != "_rowid"] for name, table in tables.items()}

    def add(self, table: str, **values) -> dict:
        """Buffer one row; unspecified columns are NULL (executemany needs the same keys on every row)."""
        row = dict.fromkeys(self.columns[table])
        row.update(values)
        rows = self.rows.setdefault(table, [])
        rows.append(row)
        if len(rows) >= self.chunk:
            self.flush(table)
        return row

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.rows):
            if self.rows.get(name):
                self.conn.execute(insert(self.tables[name]), self.rows[name])
                self.rows[name] = []


class _Generator:
    """Projects, their trees, assets, versions and custom attribute values."""

    def __init__(self, rng: random.Random, bulk: _Bulk):
        self.rng = rng
        self.bulk = bulk
        self.clock = START

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def tick(self, seconds: int = 37) -> dt.datetime:
        self.clock += dt.timedelta(seconds=seconds)
        return self.clock

    def weighted(self, choices: list[tuple[str, int]]) -> str:
        names, weights = zip(*choices)
        return self.rng.choices(names, weights)[0]

    def run(self, shots_per_project: list[int]) -> str:
        """Generate everything; return the id of the big project."""
        self.bulk.add(
            "CustomAttributeConfiguration", id=FSTART_CONFIGURATION_ID, key="fstart", label="Frame start",
            entity_type="task", object_type_id=OBJECT_TYPES["Task"], type_id=seed.stable_id("CustomAttributeType", "number"),
            group_id=seed.stable_id("CustomAttributeGroup", "General"), default=None, config="{}",
            is_hierarchical=False, core=False, sort=0,
        )
        big, biggest = None, -1
        for number, shots in enumerate(shots_per_project):
            project = self.project(number)
            self.tree(project, shots)
            if shots > biggest:
                big, biggest = project, shots
        return big

    def project(self, number: int) -> str:
        project = self.new_id()
        self.bulk.add(
            "context", id=project, context_type="show", name=f"proj_{number:03d}", full_name=f"Production {number:03d}",
            project_id=project, created_at=self.tick(), created_by_id=seed.ADMIN_USER_ID,
            project_schema_id=seed.PROJECT_SCHEMA_ID, disk_id=seed.stable_id("Disk", "Default"), root="",
            status="active", is_global=False, is_private=False,
            start_date=self.clock, end_date=self.clock + dt.timedelta(days=300),
        )
        return project

    def context(self, kind: str, name: str, parent: str, ancestors: list[str], project: str, **values) -> str:
        """A typed context and its ContextAncestor rows (`ancestors` nearest first, `parent` excluded)."""
        context = self.new_id()
        row = {
            "bid": 0, "description": "", "sort": 0, "priority_id": seed.PRIORITY_DEFAULT_ID,
            "status_id": seed.STATUS_NOT_STARTED_ID, "type_id": seed.stable_id("Type", "Generic"),
        }
        row.update(values)
        self.bulk.add(
            "context", id=context, context_type="task", name=name, parent_id=parent, project_id=project,
            object_type_id=OBJECT_TYPES[kind], created_at=self.tick(), created_by_id=seed.ADMIN_USER_ID, **row,
        )
        for depth, ancestor in enumerate([parent] + ancestors, start=1):
            self.bulk.add("ContextAncestor", ancestor_id=ancestor, descendant_id=context, depth=depth)
        return context

    def tree(self, project: str, shots: int) -> None:
        """Sequences of 20 shots, five tasks per shot, assets and versions."""
        for start in range(0, shots, SHOTS_PER_SEQUENCE):
            sequence = self.context("Sequence", f"sq{start // SHOTS_PER_SEQUENCE + 1:03d}0", project, [], project)
            for index in range(start, min(start + SHOTS_PER_SEQUENCE, shots)):
                shot = self.context(
                    "Shot", f"sh{index + 1:04d}0", sequence, [project], project,
                    status_id=status_id(self.weighted(SHOT_STATUSES)), sort=index,
                )
                tasks = self.tasks(shot, sequence, project)
                self.assets(shot, tasks, ASSETS_PER_SHOT[index % len(ASSETS_PER_SHOT)])

    def tasks(self, shot: str, sequence: str, project: str) -> dict[str, str]:
        tasks = {}
        for sort, (name, type_name) in enumerate(self.rng.sample(TASK_POOL, TASKS_PER_SHOT)):
            task = self.context(
                "Task", name, shot, [sequence, project], project,
                type_id=seed.stable_id("Type", type_name), status_id=status_id(self.weighted(TASK_STATUSES)),
                priority_id=priority_id(self.rng.choice(PRIORITIES)), bid=self.rng.choice([4, 8, 16, 24, 40, 80]) * 3600.0,
                sort=sort, description=f"{name} work",
            )
            tasks[name] = task
            if self.rng.random() < FSTART_SHARE:
                value = self.rng.randint(1001, 1100)
                self.bulk.add(
                    "CustomAttributeValue", configuration_id=FSTART_CONFIGURATION_ID, entity_id=task, key="fstart",
                    value=value, value_family="context", _text=str(value), _number=float(value),
                )
        return tasks

    def assets(self, shot: str, tasks: dict[str, str], count: int) -> None:
        offset = self.rng.randrange(len(ASSETS))
        for position in range(count):
            name, type_name = ASSETS[(offset + position) % len(ASSETS)]
            asset = self.new_id()
            self.bulk.add("Asset", id=asset, name=name, context_id=shot, type_id=seed.stable_id("AssetType", type_name))
            task = tasks.get("comp") or next(iter(tasks.values()))
            for version in range(1, VERSIONS_PER_ASSET + 1):
                latest = version == VERSIONS_PER_ASSET
                self.bulk.add(
                    "AssetVersion", id=self.new_id(), asset_id=asset, version=version, task_id=task,
                    user_id=seed.ADMIN_USER_ID, comment=f"{name} v{version:03d}", date=self.tick(300),
                    status_id=status_id("Approved" if latest and self.rng.random() < 0.5 else "Pending"),
                    is_latest_version=latest, is_published=True,
                )


def _counts(conn, tables) -> dict[str, int]:
    """Row counts of the generated tables, contexts split by type."""
    context = tables["context"]
    counts = {"Project": conn.execute(select(func.count()).where(context.c.context_type == "show")).scalar()}
    for kind in ("Sequence", "Shot", "Task"):
        counts[kind] = conn.execute(select(func.count()).where(context.c.object_type_id == OBJECT_TYPES[kind])).scalar()
    for table in ("Asset", "AssetVersion", "CustomAttributeValue", "ContextAncestor"):
        counts[table] = conn.execute(select(func.count()).select_from(tables[table])).scalar()
    return counts
