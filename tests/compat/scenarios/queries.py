"""Queries: all/first/one, their errors, paging with page_size, limit/offset in expressions."""

import sys
from pathlib import Path

import ftrack_api
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, caught, new_project, names, outcome, raised  # noqa: E402

report = Report()


class CountingSession(ftrack_api.Session):
    """Counts query requests, to observe how many pages a lazy result fetched."""

    def __init__(self, *args, **kwargs):
        self.queries = 0
        super().__init__(*args, **kwargs)

    def call(self, data):
        self.queries += sum(1 for operation in data if operation["action"] == "query")
        return super().call(data)


session = ftrack_api.Session()
project, _schema, _type, _status = new_project(session, report, "query")
for index in range(5):
    session.create("Sequence", {"name": "sq%03d" % (index * 10), "parent": project})
session.commit()
project_id = project["id"]

reader = CountingSession()
base = 'Sequence where parent_id is "%s"' % project_id
ordered = base + " order by name"


def query_names(expression, **kwargs):
    return names(reader.query(expression, **kwargs).all())


report["all"] = query_names(ordered)
report["all_type"] = type(reader.query(ordered).all()).__name__
report["query_result_type"] = type(reader.query(ordered)).__name__
report["order_descending"] = query_names(base + " order by name descending")
report["first"] = reader.query(base + " order by name descending").first()["name"]
report["first_none"] = reader.query(base + ' and name is "nope"').first()
report["one"] = reader.query(base + ' and name is "sq020"').one()["name"]
report["one_none"] = raised(lambda: reader.query(base + ' and name is "nope"').one())
report["one_many"] = raised(lambda: reader.query(base).one())
report["one_many_is_incorrect_result"] = issubclass(
    ftrack_api.exception.MultipleResultsFoundError, ftrack_api.exception.IncorrectResultError)
report["one_with_limit"] = raised(lambda: reader.query(base + " limit 1").one())
report["one_with_offset"] = raised(lambda: reader.query(base + " offset 1").one())
report["first_with_limit"] = raised(lambda: reader.query(ordered + " limit 1").first())
report["first_with_offset"] = outcome(
    lambda: reader.query(ordered + " offset 2").first(), lambda entity: entity["name"])

# limit / offset written into the expression.
report["limit"] = query_names(ordered + " limit 3")
report["offset_limit"] = query_names(ordered + " offset 2 limit 2")
report["offset_only"] = query_names(ordered + " offset 3")
report["limit_zero"] = outcome(lambda: query_names(ordered + " limit 0"))
report["limit_beyond"] = query_names(ordered + " limit 50")

# Paging: every page is one query request.
before = reader.queries
report["paged_all"] = query_names(ordered, page_size=2)
report["paged_all_requests"] = reader.queries - before
before = reader.queries
report["paged_limit"] = query_names(ordered + " limit 3", page_size=2)
report["paged_limit_requests"] = reader.queries - before
before = reader.queries
report["paged_offset"] = query_names(ordered + " offset 1", page_size=2)
report["paged_offset_requests"] = reader.queries - before

# A result is lazy: indexing fetches only what it needs, len() fetches the rest.
result = reader.query(ordered, page_size=2)
before = reader.queries
report["lazy_before_use"] = reader.queries - before
report["index_0"] = result[0]["name"]
report["index_0_requests"] = reader.queries - before
report["len"] = len(result)
report["len_requests"] = reader.queries - before
report["iterated"] = [entity["name"] for entity in result]
report["index_last"] = result[-1]["name"]
report["slice"] = [entity["name"] for entity in result[1:3]]
report["index_out_of_range"] = raised(lambda: result[10])
report["requests_after_reuse"] = reader.queries - before

# Projections, nested attributes and errors.
shot_parent = reader.query(
    'select name, parent.name from Sequence where parent_id is "%s" and name is "sq000"'
    % project_id).one()
with reader.auto_populating(False):
    report["projected_parent_name"] = shot_parent["parent"]["name"]
# (The exact error classes are compared in errors.py.)
report["unknown_attribute_is_server_error"] = isinstance(
    caught(lambda: reader.query(base + ' and nope is "x"').all()), ftrack_api.exception.ServerError)
report["syntax_error_is_server_error"] = isinstance(
    caught(lambda: reader.query("Sequence where where").all()), ftrack_api.exception.ServerError)
report["count_by_ids"] = len(reader.query(
    'select id from Sequence where id in (%s)'
    % ", ".join('"%s"' % child["id"] for child in project["children"])).all())

report.emit()
