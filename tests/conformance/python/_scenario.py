"""Set-up shared by the scenario scripts: a uniquely named project to work in.

Scripts run isolated (``python -I``), so each one puts this folder on
``sys.path`` itself before importing this module.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any


@dataclass
class Tree:
    """A project with one sequence, shot and task, and the schema choices used for the task."""

    suffix: str
    project_schema: Any
    task_type: Any
    task_status: Any
    project: Any
    sequence: Any = None
    shot: Any = None
    task: Any = None


def new_project(session, label: str) -> Tree:
    """Create (uncommitted) a project named ``conf_<label>_<random>`` on the first project schema."""
    suffix = uuid.uuid4().hex[:10]
    project_schema = session.query("ProjectSchema").first()
    task_type = project_schema.get_types("Task")[0]
    task_status = project_schema.get_statuses("Task", task_type["id"])[0]
    project = session.create("Project", {
        "name": "conf_%s_%s" % (label, suffix),
        "full_name": "Conformance %s %s" % (label, suffix),
        "project_schema": project_schema,
    })
    return Tree(suffix, project_schema, task_type, task_status, project)


def new_tree(session, label: str, task_name: str) -> Tree:
    """`new_project` plus sq010 / sh010 / `task_name` below it, uncommitted."""
    tree = new_project(session, label)
    tree.sequence = session.create("Sequence", {"name": "sq010", "parent": tree.project})
    tree.shot = session.create("Shot", {"name": "sh010", "parent": tree.sequence})
    tree.task = session.create("Task", {
        "name": task_name, "parent": tree.shot, "status": tree.task_status, "type": tree.task_type,
    })
    return tree
