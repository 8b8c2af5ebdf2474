"""Our Session against our server over real HTTP: construction, schemas,
querying, the unit of work and the identity map."""

from __future__ import annotations

import datetime
import json
import logging
import threading
import uuid
from pathlib import Path

import arrow
import pytest

import ftrack_api
import ftrack_api.exception
import ftrack_api.inspection
import ftrack_api.symbol
from ftrack_api.cache import FileCache, LayeredCache, MemoryCache, SerialisedCache
from support.server import free_port


def unique(prefix: str = "n") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


# ----------------------------------------------------------------------------
# Construction


@pytest.mark.parametrize("missing", ["server_url", "api_key", "api_user"])
def test_missing_credential_is_a_type_error_naming_it(monkeypatch, missing):
    for variable in ("FTRACK_SERVER", "FTRACK_API_KEY", "FTRACK_APIKEY", "FTRACK_API_USER"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "")
    values = {"server_url": "http://127.0.0.1:9", "api_key": "k", "api_user": "u"}
    values[missing] = None
    with pytest.raises(TypeError, match=missing):
        ftrack_api.Session(**values)


def test_credentials_come_from_the_environment(server, monkeypatch, schema_cache):
    monkeypatch.setenv("FTRACK_SERVER", server.url + "/")
    monkeypatch.delenv("FTRACK_API_KEY", raising=False)
    monkeypatch.setenv("FTRACK_APIKEY", server.api_key)  # the legacy name
    monkeypatch.setenv("FTRACK_API_USER", server.api_user)
    with ftrack_api.Session(schema_cache_path=str(schema_cache), plugin_paths=[]) as session:
        assert session.server_url == server.url
        assert session.api_key == server.api_key
        assert session.api_user == server.api_user
        assert session.query("User").first() is not None
    assert session.closed


@pytest.mark.parametrize("argument, value", [
    ("cookies", ["a"]), ("headers", "x"), ("strict_api", "yes")])
def test_bad_option_types_are_type_errors(server, argument, value):
    with pytest.raises(TypeError, match=argument):
        ftrack_api.Session(server.url, server.api_key, server.api_user, **{argument: value})


def test_session_authentication_sets_the_ftrack_headers():
    class Request:
        headers: dict = {}

    request = ftrack_api.session.SessionAuthentication("key", "user")(Request())
    assert request.headers == {"ftrack-api-key": "key", "ftrack-user": "user"}


def test_unreachable_server_names_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ftrack_api.exception.ServerError, match=url):
        ftrack_api.Session(url, "key", "user", timeout=5)


def test_bad_credentials_keep_the_servers_message(server):
    with pytest.raises(ftrack_api.exception.ServerError) as raised:
        ftrack_api.Session(server.url, "not-a-key", server.api_user, schema_cache_path=False)
    assert "api key" in str(raised.value).lower()


def test_public_surface(session):
    assert ftrack_api.Session is ftrack_api.session.Session
    assert isinstance(session.logger, logging.Logger)
    assert session.logger.name == "ftrack_api.session.Session"
    assert isinstance(session.recorded_operations, ftrack_api.operation.Operations)
    assert isinstance(session.cache, LayeredCache)
    assert isinstance(session.cache.caches[0], MemoryCache)
    assert session.cache.caches[0] is session._local_cache
    assert isinstance(session.cache_key_maker, ftrack_api.cache.StringKeyMaker)
    assert session.server_information["schema_hash"]
    assert session.get_schema("Task")["id"] == "Task"
    assert session.get_schema("Nope") is None
    assert session.record_operations is True and session.auto_populate is True


def test_user_cache_is_layered_below_memory(make_session, tmp_path):
    extra = MemoryCache()
    session = make_session(cache=lambda s: extra)
    assert session.cache.caches == [session._local_cache, extra]
    assert len(make_session(cache=lambda s: None).cache.caches) == 1
    assert len(make_session(cache=None).cache.caches) == 1


# ----------------------------------------------------------------------------
# Schemas


def test_schema_cache_is_written_and_used(make_session, tmp_path, caplog):
    folder = tmp_path / "schemas"
    session = make_session(schema_cache_path=str(folder))
    cache_file = folder / "ftrack_api_schema_cache.json"
    assert json.loads(cache_file.read_text()) == session.schemas
    mtime = cache_file.stat().st_mtime_ns
    again = make_session(schema_cache_path=str(folder))
    assert cache_file.stat().st_mtime_ns == mtime  # hash matched: not fetched and rewritten
    assert sorted(again.types) == sorted(session.types)


def test_corrupt_schema_cache_is_ignored_with_a_warning(make_session, tmp_path, caplog):
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "ftrack_api_schema_cache.json").write_text("{not json")
    with caplog.at_level(logging.WARNING):
        session = make_session(schema_cache_path=str(folder))
    assert "schema cache" in caplog.text.lower()
    assert "Task" in session.types
    assert json.loads((folder / "ftrack_api_schema_cache.json").read_text()) == session.schemas


def test_schema_cache_can_be_disabled(make_session):
    assert "Project" in make_session(schema_cache_path=False).types


def test_types_are_classes_built_from_the_schemas(session, project):
    Project = session.types["Project"]
    assert isinstance(project, Project)
    assert repr(Project) == "<dynamic ftrack class 'Project'>"
    assert Project.primary_key_attributes == ["id"]
    assert "name" in Project.attributes.keys()
    with pytest.raises(KeyError):
        session.types["NotAType"]
    with pytest.raises(ftrack_api.exception.UnrecognisedEntityTypeError):
        session.create("NotAType", {})
    with pytest.raises(KeyError):
        session.query("NotAType")


# ----------------------------------------------------------------------------
# Querying and the identity map


def test_seed_example_query_projects(session, project):
    projects = session.query('Project').all()
    names = [p['name'] for p in projects]
    assert project["name"] in names


def test_identity_map_returns_the_same_instance(session, project):
    found = session.query(f'Project where id is "{project["id"]}"').one()
    assert found is project
    assert session.get("Project", project["id"]) is project
    other = session.query(f'select name from Project where name is "{project["name"]}"').first()
    assert other is project


def test_first_one_and_their_errors(session, project):
    assert session.query(f'Project where id is "{uuid.uuid4()}"').first() is None
    with pytest.raises(ftrack_api.exception.NoResultFoundError):
        session.query(f'Project where id is "{uuid.uuid4()}"').one()
    with pytest.raises(ftrack_api.exception.MultipleResultsFoundError):
        session.query("Status").one()
    with pytest.raises(ValueError):
        session.query("Status limit 1").first()
    with pytest.raises(ValueError):
        session.query("Status offset 1").one()


def test_paging_offset_and_limit(session, project):
    for index in range(7):
        session.create("Sequence", {"name": f"sq{index:03d}", "parent": project})
    session.commit()
    expression = f'Sequence where parent_id is "{project["id"]}" order by name'
    result = session.query(expression, page_size=2)
    assert [item["name"] for item in result] == [f"sq{i:03d}" for i in range(7)]
    assert len(session.query(expression, page_size=3)) == 7
    limited = session.query(expression + " offset 2 limit 3", page_size=2).all()
    assert [item["name"] for item in limited] == ["sq002", "sq003", "sq004"]
    assert session.query(expression, page_size=2)[5]["name"] == "sq005"


def test_auto_population_and_not_set(session, make_session, project):
    other = make_session()
    lazy = other.query(f'select id from Project where id is "{project["id"]}"').one()
    assert "name" not in lazy._remote
    with other.auto_populating(False):
        assert lazy["name"] is ftrack_api.symbol.NOT_SET
        assert other.auto_populate is False
    assert other.auto_populate is True
    assert lazy["name"] == project["name"]  # fetched on access
    assert lazy["project_schema"]["name"] == project["project_schema"]["name"]


def test_auto_populate_is_per_thread(make_session):
    session = make_session(auto_populate=False)
    seen = []
    session.auto_populate = True
    thread = threading.Thread(target=lambda: seen.append(session.auto_populate))
    thread.start()
    thread.join()
    assert seen == [False] and session.auto_populate is True


def test_unknown_attribute_is_a_key_error_naming_it(session, project):
    with pytest.raises(KeyError, match="nonsense.*Project"):
        project["nonsense"]
    with pytest.raises(KeyError):
        project["nonsense"] = 1


def test_populate_fetches_many_in_one_query(session, make_session, project):
    for index in range(3):
        session.create("Sequence", {"name": f"p{index}", "parent": project})
    session.commit()
    other = make_session()
    sequences = other.query(f'select id from Sequence where parent_id is "{project["id"]}"').all()
    other.populate(sequences, "name, parent_id")
    with other.auto_populating(False):
        assert sorted(s["name"] for s in sequences) == ["p0", "p1", "p2"]


# ----------------------------------------------------------------------------
# Unit of work


def test_create_commit_and_server_defaults(session, project):
    sequence = session.create("Sequence", {"name": "sq010", "parent": project})
    shot = session.create("Shot", {"name": "sh010", "parent": sequence})
    task = session.create("Task", {"name": "anim", "parent": shot})
    assert ftrack_api.inspection.state(task) is ftrack_api.symbol.CREATED
    assert set(session.created) >= {sequence, shot, task}
    session.commit()
    assert ftrack_api.inspection.state(task) is ftrack_api.symbol.NOT_SET
    assert not session.recorded_operations
    assert task["status"]["name"]  # default status chosen by the server
    assert [item["name"] for item in task["link"]] == [project["full_name"], "sq010", "sh010",
                                                        "anim"]
    assert task in shot["children"]


def test_update_rollback_and_states(session, project):
    sequence = session.create("Sequence", {"name": "before", "parent": project})
    session.commit()
    sequence["name"] = "after"
    assert ftrack_api.inspection.state(sequence) is ftrack_api.symbol.MODIFIED
    assert session.modified == [sequence]
    session.rollback()
    assert sequence["name"] == "before"
    assert not session.modified
    sequence["name"] = "after"
    session.commit()
    fresh = session.query(f'select name from Sequence where id is "{sequence["id"]}"').one()
    assert fresh is sequence and fresh["name"] == "after"


def test_rollback_forgets_created_entities(session, project):
    created = session.create("Sequence", {"name": "gone", "parent": project})
    session.rollback()
    assert session.created == []
    assert session.get("Sequence", created["id"]) is None


def test_delete(session, project):
    sequence = session.create("Sequence", {"name": "doomed", "parent": project})
    session.commit()
    session.delete(sequence)
    assert session.deleted == [sequence]
    session.commit()
    assert session.query(f'Sequence where id is "{sequence["id"]}"').first() is None


def test_created_then_deleted_sends_nothing(session, project):
    sequence = session.create("Sequence", {"name": "never", "parent": project})
    session.delete(sequence)
    assert session._payloads() == []


def test_commit_batches_merge_updates(session, project):
    first = session.create("Sequence", {"name": "a", "parent": project})
    first["name"] = "b"
    first["description"] = "d"
    second = session.create("Sequence", {"name": "c", "parent": project})
    payloads = session._payloads()
    assert [p["action"] for p in payloads] == ["create", "create"]
    creates = payloads
    assert creates[0]["entity_data"]["parent"] is project
    assert creates[0]["entity_data"]["name"] == "b"
    assert creates[0]["entity_data"]["description"] == "d"
    session.commit()
    assert session.query(f'select name from Sequence where id is "{first["id"]}"').one()["name"] == "b"
    assert second["name"] == "c"


def test_failed_commit_changes_nothing_and_keeps_operations(session, project):
    session.create("Sequence", {"name": "dup", "parent": project})
    session.commit()
    session.create("Sequence", {"name": "ok", "parent": project})
    session.create("Sequence", {"name": "dup", "parent": project})
    with pytest.raises(ftrack_api.exception.ServerError) as raised:
        session.commit()
    assert "DuplicateEntry" in str(raised.value)
    assert len(session.recorded_operations) > 0
    session.rollback()
    names = [s["name"] for s in session.query(
        f'select name from Sequence where parent_id is "{project["id"]}"')]
    assert names == ["dup"]


def test_immutable_attributes_cannot_change(session, project):
    with pytest.raises(ftrack_api.exception.ImmutableAttributeError):
        project["id"] = str(uuid.uuid4())


def test_ensure_creates_then_finds_and_updates(session, project):
    data = {"name": unique("ensure"), "parent_id": project["id"], "description": "one"}
    created = session.ensure("Sequence", data, identifying_keys=["name", "parent_id"])
    again = session.ensure("Sequence", {**data, "description": "two"},
                           identifying_keys=["name", "parent_id"])
    assert again is created and again["description"] == "two"
    with pytest.raises(ValueError):
        session.ensure("Sequence", {})


def test_get_checks_key_shape(session, project):
    with pytest.raises(ValueError):
        session.get("Project", [project["id"], "extra"])
    with pytest.raises(KeyError):
        session.get("NotAType", "x")
    assert session.get("Project", str(uuid.uuid4())) is None


def test_collections(session, project):
    first = session.create("Sequence", {"name": "first", "parent": project})
    session.commit()
    children = project["children"]
    assert first in children
    with pytest.raises(ftrack_api.exception.DuplicateItemInCollectionError):
        children.append(first)
    second = session.create("Sequence", {"name": "second", "parent": project})
    children.append(second)
    assert ftrack_api.inspection.state(project) is ftrack_api.symbol.MODIFIED
    session.commit()
    assert sorted(child["name"] for child in project["children"][:]) == ["first", "second"]
    with pytest.raises(ftrack_api.exception.ImmutableCollectionError):
        ftrack_api.attribute.CollectionAttribute("children").get_remote_value(project).append(first)


def test_metadata_proxy(session, project):
    project["metadata"]["colour"] = "red"
    project["metadata"]["size"] = "big"
    session.commit()
    assert dict(project["metadata"]) == {"colour": "red", "size": "big"}
    project["metadata"] = {"colour": "blue"}
    session.commit()
    fresh = session.query(
        f'select metadata.key, metadata.value from Project where id is "{project["id"]}"').one()
    assert dict(fresh["metadata"]) == {"colour": "blue"}
    with pytest.raises(KeyError):
        del fresh["metadata"]["missing"]


def test_metadata_at_create_time(session, project):
    sequence = session.create("Sequence", {"name": "m", "parent": project,
                                           "metadata": {"a": "1"}})
    session.commit()
    found = session.query(
        f'select metadata.key, metadata.value from Sequence where id is "{sequence["id"]}"').one()
    assert dict(found["metadata"]) == {"a": "1"}


def test_datetimes_are_arrow(session, project):
    start = datetime.datetime(2026, 1, 2, 3, 4, 5)
    sequence = session.create("Sequence", {"name": "dated", "parent": project,
                                           "start_date": start})
    session.commit()
    fresh = session.query(f'select start_date from Sequence where id is "{sequence["id"]}"').one()
    value = fresh["start_date"]
    assert isinstance(value, arrow.Arrow)
    assert value.naive == start


def test_close_then_calls_fail(make_session):
    session = make_session()
    with session:
        pass
    assert session.closed
    with pytest.raises(ftrack_api.exception.ConnectionClosedError):
        session.query("User").first()
    with pytest.raises(ftrack_api.exception.ConnectionClosedError):
        session._request
    session.close()  # idempotent


def test_low_level_calls_through_the_session(session, project):
    result = session.call([{"action": "query",
                            "expression": f'select name from Project where id is "{project["id"]}"'}])
    assert result[0]["data"][0] is project
    url = session.get_component_url("abc")
    assert url.startswith(session.server_url + "/component/get?id=abc")
    assert "size=300" in session.thumbnail_url("abc")
    assert session.client_token.startswith("ftrack-python-api--")


# ----------------------------------------------------------------------------
# Serialisation and persisted caches


def test_encode_strategies(session, project):
    encoded = json.loads(session.encode(project, entity_attribute_strategy="set_only"))
    assert encoded["__entity_type__"] == "Project" and encoded["name"] == project["name"]
    with pytest.raises(ValueError):
        session.encode(project, entity_attribute_strategy="nope")
    project["name"] = "changed"
    modified = json.loads(session.encode(project, entity_attribute_strategy="modified_only"))
    assert modified["name"] == "changed" and "full_name" not in modified
    session.rollback()


def test_decode_rebuilds_unattached_entities(session, project):
    decoded = session.decode(session.encode(project))
    assert decoded == project and decoded is not project


def test_persistent_cache_recipe(make_session, server, tmp_path, project):
    path = str(tmp_path / "entities.dbm")

    def cache(session):
        return SerialisedCache(FileCache(path), encode=session.encode, decode=session.decode)

    writer = make_session(cache=cache)
    sequence = writer.create("Sequence", {"name": "cached", "parent": project})
    writer.commit()
    loaded = writer.query(f'select name, children, parent from Sequence where id is "{sequence["id"]}"').one()
    assert loaded["name"] == "cached"
    writer.close()

    reader = make_session(cache=cache)
    reader._client.close()  # from here on any server call would fail
    again = reader.get("Sequence", sequence["id"])
    assert again is not None and again["name"] == "cached"
    assert again["parent"]["id"] == project["id"]


# ----------------------------------------------------------------------------
# Plugins and events


def test_plugins_are_discovered_and_can_supply_classes(make_session, tmp_path):
    plugin = tmp_path / "plugins" / "nested"
    plugin.mkdir(parents=True)
    (plugin / "custom_user.py").write_text(
        "import ftrack_api\n"
        "import ftrack_api.entity.factory\n"
        "class CustomUser:\n"
        "    def greet(self):\n"
        "        return 'hello ' + self['username']\n"
        "def construct(event):\n"
        "    schema = event['data']['schema']\n"
        "    if schema['id'] == 'User':\n"
        "        return ftrack_api.entity.factory.StandardFactory().create(schema, bases=[CustomUser])\n"
        "def register(session, **kw):\n"
        "    if not isinstance(session, ftrack_api.Session):\n"
        "        return\n"
        "    session.extra = kw\n"
        "    session.event_hub.subscribe('topic=ftrack.api.session.construct-entity-type', construct)\n"
        "    session.event_hub.subscribe('topic=ftrack.api.session.ready',\n"
        "        lambda event: setattr(event['data']['session'], 'was_ready', True))\n")
    (tmp_path / "plugins" / "broken.py").write_text("raise RuntimeError('broken plugin')\n")
    session = make_session(plugin_paths=[str(tmp_path / "plugins")],
                           plugin_arguments={"colour": "red"})
    assert session.was_ready is True
    assert session.extra == {"colour": "red"}
    user = session.query(f'User where username is "{session.api_user}"').one()
    assert user.greet() == f"hello {session.api_user}"
    assert any(base.__name__ == "CustomUser" for base in type(user).__mro__)


def test_local_events_reach_subscribers(session):
    seen = []
    session.event_hub.subscribe("topic=my.topic", lambda event: seen.append(event["data"]) or "A")
    replies = session.event_hub.publish(
        ftrack_api.event.base.Event(topic="my.topic", data={"x": 1}), synchronous=True)
    assert seen == [{"x": 1}] and replies == ["A"]


# ----------------------------------------------------------------------------
# Typed entities


def test_project_schema_statuses_and_types(session, project):
    schema = project["project_schema"]
    types = schema.get_types("Task")
    assert types and all(t.entity_type == "Type" for t in types)
    statuses = schema.get_statuses("Task", types[0]["id"])
    assert statuses and all(s.entity_type == "Status" for s in statuses)
    assert schema.get_statuses("AssetVersion")
    with pytest.raises(ValueError):
        schema.get_statuses("NotAType")


def test_notes_and_replies(session, project):
    user = session.query(f'User where username is "{session.api_user}"').one()
    note = project.create_note("Looks good", author=user, recipients=[user])
    reply = note.create_reply("Thanks", author=user)
    session.commit()
    found = session.query(f'select content, replies.content from Note where id is "{note["id"]}"').one()
    assert found["content"] == "Looks good"
    assert [r["content"] for r in found["replies"]] == ["Thanks"]
    assert reply in note["replies"]


def test_timers(session, project):
    user = session.query(f'User where username is "{session.api_user}"').one()
    try:
        user.stop_timer()
    except ftrack_api.exception.NoResultFoundError:
        pass
    timer = user.start_timer(project, comment="work")
    assert timer["comment"] == "work"
    with pytest.raises(ftrack_api.exception.NotUniqueError):
        user.start_timer(project)
    user.start_timer(project, force=True)
    timelog = user.stop_timer()
    assert timelog.entity_type == "Timelog" and timelog["duration"] >= 0


def test_job_type_is_checked(session):
    with pytest.raises(ValueError):
        session.create("Job", {"type": "sync_users_ldap", "data": "{}"})
    job = session.create("Job", {"data": json.dumps({"description": "x"}), "status": "running",
                                 "user": session.query(f'User where username is "{session.api_user}"').one()})
    session.commit()
    assert job["type"] == "api_job"


def test_mixin_adds_to_one_instance(session, project):
    class Extra:
        def shout(self):
            return self["name"].upper()

    ftrack_api.mixin(project, Extra)
    length = len(type(project).__mro__)
    ftrack_api.mixin(project, Extra)
    assert len(type(project).__mro__) == length
    assert project.shout() == project["name"].upper()
    assert not hasattr(session.create("Project", {"name": "x"}, reconstructing=True), "shout")


def test_formatter(session, project):
    import ftrack_api.formatter
    text = ftrack_api.formatter.format(project, attribute_filter=ftrack_api.formatter.FILTER["ignore_unset"])
    assert text.splitlines()[0].endswith("Project")
    assert f"name: {project['name']}" in text


# ----------------------------------------------------------------------------
# Recording, merging and resetting


def test_operation_recording_off_records_nothing(session, project):
    with session.operation_recording(False):
        project["full_name"] = "quiet"
        assert session.record_operations is False
    assert session.record_operations is True
    assert not session.recorded_operations
    assert project["full_name"] == "quiet"  # the local value is still there


def test_threads_record_into_the_shared_operations(session, project):
    def work():
        session.create("Sequence", {"name": "threaded", "parent": project})

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert [operation.entity_data["name"] for operation in session.recorded_operations
            if isinstance(operation, ftrack_api.operation.CreateEntityOperation)] == ["threaded"]
    session.rollback()


def test_merge_attaches_detached_entities(session, project):
    detached = session.decode(session.encode(project))
    assert session.merge(detached) is project
    assert session.merge([detached, 3]) == [project, 3]


def test_reset_clears_the_identity_map_and_announces_it(session, project):
    seen = []
    session.event_hub.subscribe("topic=ftrack.api.session.reset",
                                lambda event: seen.append(event["data"]["session"]))
    project_id = project["id"]
    session.create("Sequence", {"name": "pending", "parent": project})
    session.reset()
    assert seen == [session]
    assert not session.recorded_operations
    again = session.get("Project", project_id)
    assert again is not project and again == project
    assert session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID).accessor


def test_object_key_maker_works_as_the_cache_key_maker(make_session, project):
    session = make_session(cache_key_maker=ftrack_api.cache.ObjectKeyMaker())
    found = session.query(f'Project where id is "{project["id"]}"').one()
    assert session.get("Project", project["id"]) is found


def test_states_of_many_entities(session, project):
    created = session.create("Sequence", {"name": "s", "parent": project})
    project["full_name"] = "changed"
    states = ftrack_api.inspection.states([created, project])
    assert states == [ftrack_api.symbol.CREATED, ftrack_api.symbol.MODIFIED]
    assert ftrack_api.inspection.states([]) == []
    assert ftrack_api.inspection.identity(project) == ("Project", [project["id"]])
    session.rollback()


def test_actions_the_server_lacks_are_compatibility_errors(session, project):
    with pytest.raises(ftrack_api.exception.ServerCompatibilityError, match="get_widget_url"):
        session.get_widget_url("info", entity=project)
