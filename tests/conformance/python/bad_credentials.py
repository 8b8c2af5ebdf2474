"""Scenario 9: wrong credentials make the official ``Session()`` constructor fail.

What it proves: the very first request of ``Session()`` (``query_server_information``)
is refused for a wrong API key and for an unknown user, and the client turns
the refusal into ``ftrack_api.exception.ServerError`` -- in the default mode
(error object with HTTP 200) and in strict mode (``ftrack-strict-api: true``,
error status with the same JSON body).  The right credentials still work.

Prints a JSON summary as its last stdout line.
"""

import json
import uuid

import ftrack_api
import ftrack_api.exception


def construction_error(**kwargs):
    """Return the text of the ServerError Session(**kwargs) raises (fail if none)."""
    try:
        session = ftrack_api.Session(**kwargs)
    except ftrack_api.exception.ServerError as error:
        return str(error)
    session.close()
    raise AssertionError("Session(%r) was accepted" % sorted(kwargs))


errors = {
    "wrong_key": construction_error(api_key="wrong"),
    "random_key": construction_error(api_key=str(uuid.uuid4())),
    "unknown_user": construction_error(api_user="nobody_%s" % uuid.uuid4().hex[:8]),
    "wrong_key_strict": construction_error(api_key="wrong", strict_api=True),
}

# The environment's credentials are fine, in both modes.
for strict in (False, True):
    with ftrack_api.Session(strict_api=strict) as session:
        assert session.query("ProjectSchema").first() is not None

print(json.dumps({"errors": errors}, sort_keys=True))
