"""The pytest plugin users load for their own pipeline tests."""

from __future__ import annotations

pytest_plugins = ["pytester"]


def test_users_get_a_working_server_fixture(pytester):
    pytester.makepyfile(
        """
        import json, urllib.request

        def test_pipeline(ftrack_server):
            request = urllib.request.Request(
                ftrack_server.url + "/api",
                data=json.dumps([{"action": "query", "expression": "select name from Location"}]).encode(),
                headers={"ftrack-user": ftrack_server.api_user, "ftrack-api-key": ftrack_server.api_key},
            )
            reply = json.loads(urllib.request.urlopen(request).read())
            assert "ftrack.server" in {location["name"] for location in reply[0]["data"]}
        """
    )
    result = pytester.runpytest_subprocess()  # the plugin loads through its entry point
    result.assert_outcomes(passed=1)
