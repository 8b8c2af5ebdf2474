"""The event hub: socket.io 0.9 endpoint, subscription routing, ``ftrack.update``, Redis fan-out.

| module | one job |
| --- | --- |
| `packets` | socket.io 0.9 packet framing and JSON |
| `envelope` | the event envelope clients publish and receive |
| `sessions` | handshake session ids |
| `router` | subscribers per connection; who receives an event |
| `connection` | one websocket: reading, bounded send queue, heartbeats |
| `endpoint` | the handshake and websocket routes |
| `bus` | one process's events: local routing plus fan-out |
| `redis_fanout` | events shared between processes through Redis |
| `updates` | the ``ftrack.update`` envelope after a commit |
"""

from .bus import EventBus
from .settings import EventSettings

__all__ = ["EventBus", "EventSettings"]
