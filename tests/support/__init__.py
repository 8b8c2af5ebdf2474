"""Helpers shared by the test suites: server process control and official-client runners."""
