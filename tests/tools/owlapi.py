"""The OWL API 5 (Debian ``libowlapi-java``), as Protégé and ROBOT use it:
load a document, report the ontology it reads (IRI, version IRI, header
titles, imports) and check it against the OWL 2 DL profile
(``owlapi/DLProfileCheck.java``, compiled on first use into a temporary
directory; Java 17 and the Debian jars).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tools import need

HERE = Path(__file__).resolve().parent / "owlapi"
JARS = ("owlapi-distribution guava caffeine commons-codec commons-io commons-rdf-api hppcrt jsr305 "
        "atinject-jsr330-api slf4j-api slf4j-nop xz jackson-core jackson-databind jackson-annotations rdf4j-config "
        "rdf4j-model-api rdf4j-model-vocabulary rdf4j-model rdf4j-query rdf4j-queryalgebra-model "
        "rdf4j-queryparser-api rdf4j-queryparser-serql rdf4j-queryparser-sparql rdf4j-queryresultio-api "
        "rdf4j-queryresultio-binary rdf4j-queryresultio-sparqljson rdf4j-queryresultio-sparqlxml rdf4j-rio-api "
        "rdf4j-rio-binary rdf4j-rio-datatypes rdf4j-rio-hdt rdf4j-rio-jsonld rdf4j-rio-languages rdf4j-rio-n3 "
        "rdf4j-rio-nquads rdf4j-rio-ntriples rdf4j-rio-rdfjson rdf4j-rio-rdfxml rdf4j-rio-trig rdf4j-rio-trix "
        "rdf4j-rio-turtle rdf4j-sparqlbuilder rdf4j-util httpclient httpcore commons-logging").split()


def _classpath() -> str:
    return ":".join(f"/usr/share/java/{jar}.jar" for jar in JARS)


def missing() -> str | None:
    """What is missing to run the OWL API here, or ``None``."""
    if not (shutil.which("java") and shutil.which("javac")):
        return "the OWL API tests need a JDK (java and javac)"
    absent = [jar for jar in JARS if not Path(f"/usr/share/java/{jar}.jar").is_file()]
    return f"the OWL API is not installed (missing {', '.join(absent[:3])}…)" if absent else None


@lru_cache(maxsize=1)
def _compiled() -> Path:
    need(missing())
    build = Path(tempfile.mkdtemp(prefix="gpai-kg-owlapi-"))
    subprocess.run(["javac", "-nowarn", "-cp", _classpath(), "-d", str(build), str(HERE / "DLProfileCheck.java")],
                   check=True, capture_output=True, timeout=300)
    return build


@dataclass
class Loaded:
    """What the OWL API read from a document."""
    ontology_iri: str
    version_iri: str
    imports: list[str]
    imported: list[str]
    missing_imports: list[str]
    titles: list[str]
    in_dl: bool
    violations: dict[str, int] = field(default_factory=dict)
    output: str = ""


def load(path: Path, maps: dict[str, Path] | None = None, save: Path | None = None) -> Loaded:
    """Load ``path`` with the OWL API (imports resolved only through ``maps``,
    module IRI -> file; never from the network), check the OWL 2 DL profile;
    with ``save``, write the OWL API's own Turtle rendering there."""
    args = ["java", "-Xmx2g", "-cp", f"{_compiled()}:{_classpath()}", "DLProfileCheck", str(path), "--all"]
    for iri, file in (maps or {}).items():
        args += ["--map", f"{iri}={file}"]
    if save is not None:
        args += ["--save", str(save)]
    run = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if run.returncode not in (0, 1):
        raise AssertionError(f"the OWL API failed on {path}: {(run.stderr or run.stdout)[-2000:]}")
    lines = run.stdout.splitlines()

    def value(key: str) -> str:
        return next(line[len(key) + 1:] for line in lines if line.startswith(key + " "))

    return Loaded(
        ontology_iri=value("ONTOLOGY IRI"), version_iri=value("VERSION IRI"),
        imports=[i.strip() for i in value("IMPORTS").strip("[]").split(",") if i.strip()],
        imported=[line.split()[1] for line in lines if line.startswith("IMPORTED ")],
        missing_imports=[line.split()[-1] for line in lines if line.startswith("MISSING IMPORT ")],
        titles=[line.split(" = ", 1)[1] for line in lines if line.startswith("HEADER title = ")],
        in_dl=any(line.startswith("IN OWL 2 DL: true") for line in lines),
        violations={line.split()[1]: int(line.split()[2]) for line in lines if line.startswith("KIND ")},
        output=run.stdout,
    )
