"""Every RDF export parses in the RDF tools of the field, with the triple
count gpai-kg wrote: Apache Jena's riot (Debian ``libapache-jena-java``; Jena
checked to start before it is relied on, ``tools/jena.py``) for Turtle, RDF/XML,
N-Triples, TriG and JSON-LD, and Raptor's ``rapper`` (Debian ``raptor2-utils``)
for Turtle and RDF/XML; and Jena SHACL finds the graph conforming to the
shapes, as pySHACL does (``gpai-kg build`` checks it).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pyoxigraph as ox
import pytest

from gpai_kg.publish import rdf
from tools import jena, need

FORMATS = {"turtle": ("ttl", ox.RdfFormat.TURTLE), "xml": ("owl", ox.RdfFormat.RDF_XML),
           "nt": ("nt", ox.RdfFormat.N_TRIPLES), "trig": ("trig", ox.RdfFormat.TRIG)}


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    files = {}
    for fmt, (ext, _) in FORMATS.items():
        files[fmt] = out / f"all.{ext}"
        files[fmt].write_bytes(rdf.serialize("all", fmt))
    files["jsonld"] = out / "all.jsonld"
    files["jsonld"].write_bytes(rdf.serialize("all", "jsonld"))
    return files


def _count(path, fmt) -> int:
    return sum(1 for _ in ox.parse(path=str(path), format=FORMATS[fmt][1]))


@pytest.mark.parametrize("fmt", [*FORMATS, "jsonld"])
def test_riot_validates_and_counts_each_export(exports, fmt):
    need(jena.missing())
    # Jena's JSON-LD 1.1 reader (titanium) has no JSON implementation on Debian 12: read it as JSON-LD 1.0
    syntax = ["--syntax=jsonld10"] if fmt == "jsonld" else []
    run = subprocess.run(jena.command("riot", "--count", *syntax, str(exports[fmt])),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r"(Triples|Quads) = ([\d,]+)", run.stdout + run.stderr)
    expected = _count(exports["nt"], "nt") if fmt == "jsonld" else _count(exports[fmt], fmt)
    assert found and int(found.group(2).replace(",", "")) == expected, run.stdout + run.stderr
    assert "WARN" not in run.stderr and "ERROR" not in run.stderr, run.stderr[-2000:]


@pytest.mark.parametrize("fmt, syntax", [("turtle", "turtle"), ("xml", "rdfxml")])
def test_rapper_parses_and_counts_each_export(exports, fmt, syntax):
    need(None if shutil.which("rapper") else "rapper is not installed (Debian raptor2-utils)")
    run = subprocess.run(["rapper", "-i", syntax, "-c", str(exports[fmt])], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"returned {_count(exports[fmt], fmt)} triples" in run.stderr, run.stderr[-500:]


def test_jena_shacl_finds_the_graph_conforming_as_pyshacl_does(tmp_path):
    need(jena.missing())
    graph, shapes = tmp_path / "graph.ttl", tmp_path / "shapes.ttl"
    graph.write_bytes(rdf.serialize("graph", "turtle"))
    shapes.write_bytes(rdf.serialize("shapes", "turtle"))
    run = subprocess.run(jena.command("shacl", "validate", "--shapes", str(shapes), "--data", str(graph)),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert re.search(r"sh:conforms\s+true", run.stdout), run.stdout[-2000:]
