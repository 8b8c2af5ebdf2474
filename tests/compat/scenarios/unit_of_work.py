"""Create/commit a project tree, identity map, inspection states, update, rollback, delete."""

import sys
from pathlib import Path

import ftrack_api
import ftrack_api.inspection
import ftrack_api.symbol

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_tree, raised  # noqa: E402

report = Report()
state = ftrack_api.inspection.state


def pending(session):
    return {"created": len(session.created), "modified": len(session.modified),
            "deleted": len(session.deleted), "operations": len(session.recorded_operations)}


session = ftrack_api.Session()
project, sequence, shot, task = new_tree(session, report, "uow")

# --- before commit ------------------------------------------------------------------------
report["states_before_commit"] = [str(state(entity)) for entity in (project, sequence, shot, task)]
report["pending_before_commit"] = pending(session)
report["created_types"] = sorted(entity.entity_type for entity in session.created)
report["new_id_is_local"] = isinstance(task["id"], str) and len(task["id"]) == 36
report["new_children"] = [child["name"] for child in shot["children"]]
report["get_uncommitted_is_same"] = session.get("Task", task["id"]) is task
report["parent_is_same_object"] = task["parent"] is shot
report["identity_key"] = list(ftrack_api.inspection.identity(task)[1]) == [task["id"]]
report["primary_key"] = dict(ftrack_api.inspection.primary_key(task)) == {"id": task["id"]}

session.commit()
ids = {"project": project["id"], "sequence": sequence["id"], "shot": shot["id"],
       "task": task["id"]}
report["ids_kept_after_commit"] = ids["task"] == task["id"]
report["states_after_commit"] = [str(state(entity)) for entity in (project, sequence, shot, task)]
report["pending_after_commit"] = pending(session)

# --- identity map --------------------------------------------------------------------------
report["get_is_same"] = session.get("Task", ids["task"]) is task
report["query_is_same"] = session.query('Task where id is "%s"' % ids["task"]).one() is task
report["children_item_is_same"] = shot["children"][0] is task
report["parent_chain_is_same"] = task["parent"]["parent"]["parent"] is project
report["project_attribute_is_same"] = task["project"] is project
report["link"] = [(item["type"], item["name"]) for item in task["link"]]
report["link_ids"] = [item["id"] for item in task["link"]]

other = ftrack_api.Session()
other_task = other.get("Task", ids["task"])
report["other_session_distinct"] = other_task is not task
report["other_session_equal"] = other_task == task
report["other_session_same_in_itself"] = other.get("Task", ids["task"]) is other_task
report["other_session_name"] = other_task["name"]
report["hash_equal"] = hash(other_task) == hash(task)

# --- update and commit --------------------------------------------------------------------------
task["name"] = "comp_v2"
task["description"] = "updated"
report["state_modified"] = str(state(task))
report["pending_after_update"] = pending(session)
report["modified_is_task"] = [entity is task for entity in session.modified]
session.commit()
report["state_after_update_commit"] = str(state(task))
fresh = ftrack_api.Session()
updated = fresh.get("Task", ids["task"])
report["persisted_update"] = [updated["name"], updated["description"]]

# --- rollback ------------------------------------------------------------------------------------
task["name"] = "not kept"
extra = session.create("Shot", {"name": "sh020", "parent": sequence})
extra_id = extra["id"]
session.delete(shot)
report["pending_before_rollback"] = pending(session)
report["states_before_rollback"] = [str(state(entity)) for entity in (task, extra, shot)]
report["deleted_is_shot"] = [entity is shot for entity in session.deleted]
session.rollback()
report["pending_after_rollback"] = pending(session)
report["name_after_rollback"] = task["name"]
report["states_after_rollback"] = [str(state(entity)) for entity in (task, shot)]
report["rolled_back_create_get"] = session.get("Shot", extra_id) is None
report["children_after_rollback"] = sorted(child["name"] for child in sequence["children"])
session.commit()  # nothing left to send
report["persisted_after_rollback"] = ftrack_api.Session().get("Task", ids["task"])["name"]

# --- delete -------------------------------------------------------------------------------------
session.delete(task)
report["state_deleted"] = str(state(task))
report["pending_after_delete"] = pending(session)
session.commit()
report["state_after_delete_commit"] = str(state(task))
check = ftrack_api.Session()
report["query_after_delete"] = check.query('Task where id is "%s"' % ids["task"]).all()
report["get_after_delete"] = check.get("Task", ids["task"]) is None
report["shot_children_after_delete"] = [
    child["name"] for child in check.get("Shot", ids["shot"])["children"]]

# --- create then delete in one batch: nothing is sent for it --------------------------------------
ghost = session.create("Shot", {"name": "ghost", "parent": sequence})
ghost_id = ghost["id"]
session.delete(ghost)
report["pending_create_delete"] = pending(session)
session.commit()
report["ghost_exists"] = check.query('Shot where id is "%s"' % ghost_id).all() != []

# --- deleting the project takes its tree with it -----------------------------------------------------
session.delete(project)
session.commit()
gone = ftrack_api.Session()
report["tree_after_project_delete"] = {
    kind: gone.get(kind.capitalize(), entity_id) is None
    for kind, entity_id in sorted(ids.items())}
report["query_deleted_raises"] = raised(
    lambda: gone.query('Project where id is "%s"' % ids["project"]).one())

report.emit()
