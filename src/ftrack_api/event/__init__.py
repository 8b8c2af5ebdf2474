"""Events: the Event mapping, subscription expressions and the event hub."""
