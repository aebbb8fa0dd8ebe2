"""The real tools of the field that the interoperability tests drive: the OWL
API (``owlapi``), ROBOT's report checks (``robot``), Apache Jena (``jena``) and
Virtuoso (``virtuoso``), each from its Debian package, which ``.ci/run``
installs (``apt-get install virtuoso-opensource libowlapi-java
libapache-jena-java raptor2-utils libxml2-utils``).

A missing tool skips its tests with the command that installs it, except where
``GPAI_KG_REQUIRE_TOOLS=1`` (``.ci/run`` sets it): there a missing tool fails,
so that CI cannot pass by skipping.
"""

from __future__ import annotations

import os

import pytest

INSTALL = "apt-get install -y virtuoso-opensource libowlapi-java libapache-jena-java raptor2-utils libxml2-utils"


def need(missing: str | None) -> None:
    """Skip (or, with GPAI_KG_REQUIRE_TOOLS=1, fail) when ``missing`` names what is missing."""
    if missing is None:
        return
    message = f"{missing} (install: {INSTALL})"
    if os.environ.get("GPAI_KG_REQUIRE_TOOLS") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
