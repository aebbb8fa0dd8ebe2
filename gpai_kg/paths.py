"""Where the project's resources live: the source tree, or inside an installed wheel."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_resources"
ROOT = _BUNDLED if _BUNDLED.is_dir() else _PACKAGE.parent

ONTOLOGY_DIR = ROOT / "ontology"
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
CURATED_DIR = DATA_DIR / "curated"
GRAPH_DIR = DATA_DIR / "graph"
QUERIES_DIR = ROOT / "queries"
EXAMPLES_DIR = ROOT / "examples"


def ontology_files() -> list[Path]:
    """The ontology's modules: every Turtle file in ``ontology/`` but the shapes."""
    return [p for p in sorted(ONTOLOGY_DIR.glob("*.ttl")) if not p.stem.startswith("shapes")]
