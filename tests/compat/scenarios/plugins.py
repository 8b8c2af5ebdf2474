"""Plugin discovery (``plugin_paths``, ``FTRACK_EVENT_PLUGIN_PATH``, ``plugin_arguments``)
and the session events plugins subscribe to, including a custom entity class.
"""

import os
import sys
import tempfile
import textwrap
from pathlib import Path

import ftrack_api
import ftrack_api.event.base

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_project  # noqa: E402

report = Report()

PLUGINS = {
    # Records every session event it sees into the list passed as a plugin argument.
    "recorder.py": '''
        def register(session, seen=None, **kwargs):
            if seen is None:
                return
            seen.append(("register", sorted(kwargs)))

            def record(event):
                data = event["data"]
                entry = [event["topic"], sorted(data)]
                if "session" in data:
                    entry.append(data["session"] is session)
                if "schema" in data:
                    entry.append(data["schema"]["id"])
                seen.append(tuple(entry))

            for topic in ("construct-entity-type", "configure-location", "ready", "reset"):
                session.event_hub.subscribe("topic=ftrack.api.session." + topic, record)
    ''',
    # Builds the Task class itself, with a mixin (the documented customisation recipe).
    "custom_task.py": '''
        import ftrack_api.entity.base
        import ftrack_api.entity.factory


        class CompatTask(ftrack_api.entity.base.Entity):
            def compat_label(self):
                return "task:" + self["name"]


        def construct(event):
            schema = event["data"]["schema"]
            if schema["id"] != "Task":
                return None
            return ftrack_api.entity.factory.StandardFactory().create(
                schema, bases=[CompatTask])


        def register(session):
            session.event_hub.subscribe(
                "topic=ftrack.api.session.construct-entity-type", construct)
    ''',
    # A register that takes only the session gets no plugin arguments.
    "plain_register.py": '''
        def register(session):
            session.compat_plain_registered = getattr(session, "compat_plain_registered", 0) + 1
    ''',
    # Found in a sub folder too.
    "nested/deep.py": '''
        def register(session, **kwargs):
            session.compat_deep_registered = sorted(kwargs)
    ''',
    # Not plugins: skipped with a warning (or ignored).
    "no_register.py": "VALUE = 1\n",
    "broken_import.py": "raise RuntimeError('broken plugin module')\n",
    "notes.txt": "not python\n",
}

with tempfile.TemporaryDirectory() as folder:
    for relative, source in PLUGINS.items():
        path = Path(folder) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))

    seen = []
    session = ftrack_api.Session(plugin_paths=[folder],
                                 plugin_arguments={"seen": seen, "extra": 1})
    report["registered"] = [entry for entry in seen if entry[0] == "register"]
    topics = [entry[0] for entry in seen if entry[0] != "register"]
    report["topics_in_order"] = [topic for index, topic in enumerate(topics)
                                 if index == 0 or topics[index - 1] != topic]
    construct = [entry for entry in seen if entry[0].endswith("construct-entity-type")]
    report["construct_data_keys"] = sorted({tuple(entry[1]) for entry in construct})
    report["construct_count_is_type_count"] = len(construct) == len(session.types)
    report["construct_schema_ids_are_types"] = sorted(entry[2] for entry in construct) == sorted(
        session.types)
    report["ready"] = [entry for entry in seen if entry[0].endswith(".ready")]
    report["configure_location"] = [
        entry for entry in seen if entry[0].endswith(".configure-location")]
    report["plain_registered"] = getattr(session, "compat_plain_registered", None)
    report["deep_registered"] = getattr(session, "compat_deep_registered", None)

    # The custom Task class.
    task_class = session.types["Task"]
    report["task_class_name"] = task_class.__name__
    report["task_class_bases"] = [base.__name__ for base in task_class.__mro__[1:3]]
    project, schema, task_type, task_status = new_project(session, report, "plugin")
    shot = session.create("Shot", {"name": "sh010", "parent": project})
    task = session.create("Task", {"name": "comp", "parent": shot, "type": task_type,
                                   "status": task_status})
    report["custom_method"] = task.compat_label()
    report["other_types_untouched"] = hasattr(shot, "compat_label")
    session.commit()
    report["queried_custom_method"] = session.query(
        'Task where id is "%s"' % task["id"]).one().compat_label()

    # reset publishes its event.
    before = len(seen)
    session.reset()
    report["after_reset"] = [entry[0] for entry in seen[before:]]

    # Our own subscriptions on a session's hub: synchronous publish returns the results.
    results = session.event_hub.publish(
        ftrack_api.event.base.Event(topic="compat.test", data={"n": 1}), synchronous=True)
    report["unsubscribed_publish"] = results
    session.event_hub.subscribe("topic=compat.test", lambda event: event["data"]["n"] + 1)
    session.event_hub.subscribe("topic=compat.*", lambda event: "wildcard")
    results = session.event_hub.publish(
        ftrack_api.event.base.Event(topic="compat.test", data={"n": 1}), synchronous=True)
    report["subscribed_publish"] = sorted(str(item) for item in results)
    session.close()

    # The environment variable is the default search path (os.pathsep separated).
    os.environ["FTRACK_EVENT_PLUGIN_PATH"] = os.pathsep.join(
        [os.path.join(folder, "nested"), os.path.join(folder, "missing")])
    from_env = ftrack_api.Session()
    report["env_deep_registered"] = getattr(from_env, "compat_deep_registered", None)
    report["env_plain_registered"] = getattr(from_env, "compat_plain_registered", None)
    from_env.close()
    none_found = ftrack_api.Session(plugin_paths=[])
    report["explicit_empty_paths"] = getattr(none_found, "compat_deep_registered", None)
    none_found.close()
    del os.environ["FTRACK_EVENT_PLUGIN_PATH"]

report.emit()
