"""Fixtures of the security suite: a listener that fails the test on any request.

``listener`` listens on 127.0.0.1 and records every connection it accepts
(answering with a small SPARQL JSON result, so a request that gets through
also shows in the answer). At the end of the test, any recorded request
fails it: the listener stands for "the network", which no user query may
reach. ``control_listener`` records without failing, for the tests that
show the listener does see a request that is not walled in.
"""

from __future__ import annotations

import pytest
from security_support import Listener


@pytest.fixture
def listener():
    lst = Listener()
    try:
        yield lst
        hits = lst.settle()
        assert not hits, f"the network was reached: {len(hits)} request(s), first {hits[0][:200]!r}"
    finally:
        lst.close()


@pytest.fixture
def control_listener():
    lst = Listener()
    try:
        yield lst
    finally:
        lst.close()
