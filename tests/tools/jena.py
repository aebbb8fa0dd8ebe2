"""Apache Jena 4 from Debian (``libapache-jena-java``): riot, arq and shacl.

Debian ships the jars but no scripts, and its ``jena-core.jar`` relocates the
shaded Xerces classes to ``xerces.*`` while leaving their message files under
``org/apache/jena/ext/xerces/``: every command then dies at start
(``ExceptionInInitializerError`` in ``SchemaDVFactory``). ``command`` re-homes
those ``.properties`` files in a small jar put first on the classpath, and
``missing`` runs ``riot --version`` to check Jena works before a test relies on it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

JAVA = Path("/usr/share/java")
JARS = ("jena-arq jena-base jena-cmds jena-core jena-dboe-base jena-dboe-index jena-dboe-storage jena-dboe-trans-data "
        "jena-dboe-transaction jena-iri jena-rdfconnection jena-shacl jena-shex jena-tdb jena-tdb2 commons-cli "
        "commons-codec commons-compress commons-csv commons-io commons-lang3 dexx.collection gson guava httpclient "
        "httpclient-cache httpcore jackson-core jackson-databind jackson-annotations jsonld-java titanium-json-ld "
        "jakarta.json-api javax.json protobuf slf4j-api slf4j-simple thrift caffeine").split()
MAINS = {"riot": "riotcmd.riot", "arq": "arq.sparql", "shacl": "shacl.shacl"}


@lru_cache(maxsize=1)
def _fix_jar() -> Path:
    """The Xerces message files of jena-core.jar, re-homed where the relocated classes look."""
    out = Path(tempfile.mkdtemp(prefix="gpai-kg-jena-")) / "jena-xerces-messages.jar"
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA / "jena-core.jar") as core, zipfile.ZipFile(out, "w") as fix:
        for name in core.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                fix.writestr(name[len(prefix):], core.read(name))
    return out


def command(tool: str, *args: str) -> list[str]:
    """The java command line of ``riot``, ``arq`` or ``shacl`` with ``args``."""
    classpath = ":".join([str(_fix_jar()), *(str(JAVA / f"{jar}.jar") for jar in JARS)])
    return ["java", "-Xmx2g", "-cp", classpath, MAINS[tool], *args]


@lru_cache(maxsize=1)
def missing() -> str | None:
    """What keeps Jena from running here, or ``None`` (it is run once to see)."""
    if not shutil.which("java"):
        return "Jena needs a Java runtime"
    absent = [jar for jar in JARS if not (JAVA / f"{jar}.jar").is_file()]
    if absent:
        return f"Apache Jena is not installed (missing {', '.join(absent[:3])}…)"
    run = subprocess.run(command("riot", "--version"), capture_output=True, text=True, timeout=120)
    if run.returncode or "Jena" not in run.stdout + run.stderr:
        return f"Debian's Jena does not start here: {(run.stderr or run.stdout).strip()[-300:]}"
    return None
