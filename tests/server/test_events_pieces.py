"""The event hub's pure pieces: packet framing (property-tested), envelopes, session ids, routing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftrack_server.events import envelope, packets
from ftrack_server.events.router import Router, SubscriptionError
from ftrack_server.events.sessions import EventUser, SessionIds
from ftrack_server.signing import Signer

TYPES = st.sampled_from(sorted(packets.KNOWN_TYPES))
IDS = st.one_of(st.just(""), st.integers(min_value=0, max_value=10**12).map(str))


@given(TYPES, IDS, st.booleans(), st.text())
def test_packets_round_trip(kind: str, message_id: str, ack: bool, data: str) -> None:
    frame = f"{kind}:{message_id}{'+' if ack and message_id else ''}::{data}"
    packet = packets.parse(frame)
    assert (packet.type, packet.message_id, packet.wants_ack, packet.endpoint, packet.data) == (
        kind, message_id, ack and bool(message_id), "", data)


@given(st.text())
def test_any_text_parses_or_raises_packet_error(text: str) -> None:
    try:
        packets.parse(text)
    except packets.PacketError:
        pass


@pytest.mark.parametrize("frame", ["2::", "2:::", "2", "0::", "1::"])
def test_short_packets(frame: str) -> None:
    assert packets.parse(frame).type == frame[0]


def test_data_keeps_its_colons() -> None:
    assert packets.parse('5:3+::{"a": "b:c::d"}').data == '{"a": "b:c::d"}'


def test_acks_hold_one_object() -> None:
    assert packets.ack("7", {"success": True}) == '6:::7+[{"success":true}]'
    assert packets.event("{}") == "5:::{}"


@given(st.dictionaries(st.text(), st.one_of(st.none(), st.booleans(), st.integers(), st.text())))
def test_json_round_trip(value: dict) -> None:
    assert packets.loads(packets.dumps(value)) == value


def test_json_beyond_64_bits() -> None:
    assert packets.loads(packets.dumps({"n": 2**70})) == {"n": 2**70}
    assert json.loads(packets.dumps({"s": "é"})) == {"s": "é"}


def test_envelope_keeps_only_known_keys_and_renames_the_reply_field() -> None:
    cleaned = envelope.clean({"topic": "t", "in_reply_to_event": "x", "stop": True, "extra": 1})
    assert set(cleaned) == set(envelope.KEYS)
    assert cleaned["inReplyToEvent"] == "x" and cleaned["target"] == "" and cleaned["data"] == {}
    assert cleaned["id"]


@pytest.mark.parametrize("payload", [
    None, [], {"name": "x", "args": [{"topic": "t"}]}, {"name": "ftrack.event"},
    {"name": "ftrack.event", "args": [{"topic": "t"}, {"topic": "u"}]},
    {"name": "ftrack.event", "args": [{"topic": ""}]},
    {"name": "ftrack.event", "args": [{"topic": "t", "target": ["id=1"]}]},
])
def test_bad_payloads_are_refused(payload) -> None:
    with pytest.raises(envelope.EnvelopeError):
        envelope.from_payload(payload)


def test_session_ids_are_single_use_and_expire() -> None:
    now = [0.0]
    sessions = SessionIds(lifetime=60, clock=lambda: now[0])
    user = EventUser("u1", "jane")
    sid = sessions.issue(user)
    assert ":" not in sid and sessions.redeem(sid) == user
    assert sessions.redeem(sid) is None
    late = sessions.issue(user)
    now[0] = 61
    assert sessions.redeem(late) is None and len(sessions) == 0


def test_session_ids_are_redeemed_by_any_process_sharing_the_key(tmp_path) -> None:
    key_file = tmp_path / "secret"
    issuer, other_worker = (SessionIds(signer=Signer.from_file(key_file)) for _ in range(2))
    stranger = SessionIds(signer=Signer.from_file(tmp_path / "other-secret"))
    user = EventUser("u1", "jane")
    sid = issuer.issue(user)
    assert sid.isalnum() and sid == sid.lower()
    assert stranger.redeem(sid) is None
    forged = sid[:-1] + ("0" if sid[-1] != "0" else "1")
    assert other_worker.redeem(forged) is None
    assert other_worker.redeem("not-hex") is None and other_worker.redeem("") is None
    assert other_worker.redeem(sid) == user
    assert other_worker.redeem(sid) is None


class Outlet:
    def __init__(self) -> None:
        self.frames: list[str] = []

    def send(self, frame: str) -> bool:
        self.frames.append(frame)
        return True


def test_router_delivers_once_per_connection_honouring_targets() -> None:
    router, a, b = Router(), Outlet(), Outlet()
    for outlet in (a, b):
        router.add(outlet)
    router.subscribe(a, {"subscriber": {"id": "a1"}, "subscription": "topic=t*"})
    router.subscribe(a, {"subscriber": {"id": "a2"}, "subscription": "topic=t"})
    router.subscribe(b, {"subscriber": {"id": "b1", "kind": "x"}, "subscription": "topic=t"})
    event = envelope.clean({"topic": "t"})
    assert router.deliver(event, "F") == 2 and a.frames == ["F"] and b.frames == ["F"]
    assert router.deliver({**event, "target": "kind=x"}, "G") == 1 and b.frames == ["F", "G"]
    assert router.deliver({**event, "target": "id=="}, "H") == 0
    assert router.subscriber_count == 3
    router.subscribe(a, {"subscriber": {"id": "a1"}, "subscription": "topic=u"})  # replaced, not added
    assert router.subscriber_count == 3
    router.unsubscribe(a, {"subscriber": {"id": "a1"}})
    with pytest.raises(SubscriptionError):
        router.unsubscribe(a, {"subscriber": {"id": "a1"}})
    router.remove(a)
    assert router.subscriber_count == 1


@pytest.mark.parametrize("data", [
    None, {}, {"subscriber": {"id": "x"}}, {"subscriber": {}, "subscription": "topic=t"},
    {"subscriber": {"id": "x"}, "subscription": "topic=="}, {"subscriber": {"id": "x"}, "subscription": 5},
])
def test_router_refuses_bad_subscriptions(data) -> None:
    router, outlet = Router(), Outlet()
    router.add(outlet)
    with pytest.raises(SubscriptionError):
        router.subscribe(outlet, data)
    assert router.subscriber_count == 0


def test_json_keeps_integers_just_beyond_64_bits_exact() -> None:
    assert packets.loads('{"n": -9223372036854775809}') == {"n": -9223372036854775809}
