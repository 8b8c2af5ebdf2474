"""Notes: ``create_note`` (recipients, category, labels) and ``Note.create_reply``."""

import sys
import warnings
from pathlib import Path

import ftrack_api
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_tree, raised  # noqa: E402

warnings.simplefilter("ignore", PendingDeprecationWarning)  # create_note(category=...)
warnings.simplefilter("ignore", DeprecationWarning)

report = Report()
session = ftrack_api.Session()

# --- notes ------------------------------------------------------------------------------------------
project, sequence, shot, task = new_tree(session, report, "notes")
user = session.query('User where username is "%s"' % session.api_user).one()
other = session.create("User", {"username": report.name("user"), "first_name": "Ada",
                                "last_name": "Compat"})
session.commit()

note = task.create_note("Check the blur.", author=user)
report["note_type"] = note.entity_type
report["note_parent_is_task"] = [note["parent_id"] == task["id"], note["parent_type"]]
report["note_in_task_notes"] = note in task["notes"]
addressed = task.create_note("Ada, yours.", author=user, recipients=[other])
report["addressed_recipient_count_local"] = len(addressed["recipients"])
category = session.query("NoteCategory").first()
with warnings.catch_warnings(record=True) as caught_warnings:
    warnings.simplefilter("always")
    categorised = shot.create_note("Categorised.", author=user, category=category)
report["category_warnings"] = [type(item.message).__name__ for item in caught_warnings]
report["categorised_links_local"] = len(categorised["note_label_links"])
labelled = shot.create_note("Labelled.", author=user, labels=[category])
report["category_and_labels"] = raised(
    lambda: shot.create_note("Both.", author=user, category=category, labels=[category]))
session.commit()
reply = note.create_reply("Fixed.", author=user)
report["reply_in_replies"] = reply in note["replies"]
session.commit()

reader = ftrack_api.Session()
read_note = reader.get("Note", note["id"])
report["read_note"] = {
    "content": read_note["content"],
    "author_is_user": read_note["author"]["id"] == user["id"],
    "replies": [item["content"] for item in read_note["replies"]],
    "reply_in_reply_to": read_note["replies"][0]["in_reply_to"]["id"] == note["id"],
}
report["task_note_contents"] = sorted(item["content"] for item in reader.get(
    "Task", task["id"])["notes"])
report["shot_note_contents"] = sorted(item["content"] for item in reader.get(
    "Shot", shot["id"])["notes"])
report["addressed_recipient_is_other"] = other["id"] in [
    item["resource_id"] for item in reader.get("Note", addressed["id"])["recipients"]]
report["categorised_label_ids"] = [
    link["label_id"] == category["id"]
    for link in reader.get("Note", categorised["id"])["note_label_links"]]
report["labelled_label_ids"] = [
    link["label_id"] == category["id"]
    for link in reader.get("Note", labelled["id"])["note_label_links"]]

report.emit()
