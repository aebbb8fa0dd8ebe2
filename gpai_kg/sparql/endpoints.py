"""The three URLs of a SPARQL store, derived from the one a user gives.

SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) and Graph Store
HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) do not say
where a store puts its query, update and graph-store services; each product
does it its own way:

===============  ============================  ===========================  ==================================
store            query                         update                       graph store (GSP)
===============  ============================  ===========================  ==================================
Oxigraph         ``/query``                    ``/update``                  ``/store``
Fuseki           ``/ds/query``, ``/ds/sparql``  ``/ds/update``                 ``/ds/data``
GraphDB, RDF4J   ``/repositories/r``           ``/repositories/r/           ``/repositories/r/rdf-graphs/
                                               statements``                 service``
Virtuoso         ``/sparql`` (``-auth``)       ``/sparql`` (``-auth``)      ``/sparql-graph-crud`` (``-auth``)
Blazegraph       ``…/blazegraph/sparql``,      the same                     none (a REST API of its own)
                 ``…/namespace/NS/sparql``
===============  ============================  ===========================  ==================================

Rules, from the URL's path (query string dropped), first match wins:

1. ``…/repositories/<r>[/statements|/rdf-graphs/service]`` → GraphDB/RDF4J
   (also under ``/rdf4j-server``);
2. ``…/blazegraph/…`` or ``…/bigdata/…`` ending in ``/sparql`` → Blazegraph;
3. ``/sparql``, ``/sparql-auth``, ``/sparql-graph-crud``, ``/sparql-graph-crud-auth``
   → Virtuoso (on Virtuoso every path below ``/sparql/`` is its SPARQL page:
   a GSP ``PUT`` to ``/sparql/data`` never gets an answer);
4. empty path, or one of ``/query`` ``/update`` ``/store`` at the root → Oxigraph;
5. ``/<ds>`` or ``/<ds>/(query|sparql|update|data|get)`` → Fuseki dataset ``<ds>``;
6. anything else: the URL is taken as the query URL, and ``push`` needs
   ``--store-url`` (and ``--update-url`` unless the URL is itself the update URL).

``--store-url`` / ``--update-url`` always win over the derivation. A store
also names itself in its ``Server`` header (``identify``); ``push`` checks the
layout it derived against the store that answers (``layout_of``) before it
sends anything, and says which URLs to give when they do not match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

from gpai_kg.errors import UserError

STORES = ("oxigraph", "fuseki", "graphdb", "virtuoso", "blazegraph")
#: How each store names itself in the HTTP ``Server`` header (lower case).
_SERVER_NAMES = {"oxigraph": "oxigraph", "virtuoso": "virtuoso", "fuseki": "fuseki", "graphdb": "graphdb",
                 "rdf4j": "graphdb", "blazegraph": "blazegraph"}


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str | None
    store: str | None
    kind: str | None = None  # the store whose layout the URL matched (STORES), if any


def _url(parts, path: str) -> str:
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def layout_of(kind: str, url: str) -> Endpoints:
    """The URLs of the store ``kind`` that serves ``url`` (rules of the module docstring)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    segments = [s for s in path.split("/") if s]
    if kind == "graphdb":
        m = re.fullmatch(r"(.*/repositories/[^/]+)(/statements|/rdf-graphs/service)?", path)
        base = m.group(1) if m else path
        return Endpoints(_url(parts, base), _url(parts, base + "/statements"),
                         _url(parts, base + "/rdf-graphs/service"), kind)
    if kind == "blazegraph":
        return Endpoints(_url(parts, path), _url(parts, path), None, kind)
    if kind == "virtuoso":
        auth = "-auth" if path.endswith("-auth") else ""
        return Endpoints(_url(parts, "/sparql" + auth), _url(parts, "/sparql" + auth),
                         _url(parts, "/sparql-graph-crud" + auth), kind)
    if kind == "oxigraph":
        return Endpoints(_url(parts, "/query"), _url(parts, "/update"), _url(parts, "/store"), kind)
    if kind == "fuseki" and segments:
        base = "/" + segments[0]
        query = path if len(segments) == 2 and segments[1] in ("query", "sparql") else base + "/query"
        return Endpoints(_url(parts, query), _url(parts, base + "/update"), _url(parts, base + "/data"), kind)
    return Endpoints(url, None, None, None)


def _kind(path: str) -> str | None:
    segments = [s for s in path.split("/") if s]
    if re.fullmatch(r".*/repositories/[^/]+(/statements|/rdf-graphs/service)?", path):
        return "graphdb"
    if re.search(r"/(blazegraph|bigdata)(/.*)?/sparql$", path):
        return "blazegraph"
    if re.fullmatch(r"/sparql(-graph-crud)?(-auth)?", path):
        return "virtuoso"
    if not segments or (len(segments) == 1 and segments[0] in ("query", "update", "store")):
        return "oxigraph"
    if len(segments) == 1 or (len(segments) == 2 and segments[1] in ("query", "sparql", "update", "data", "get")):
        return "fuseki"
    return None


def derive(url: str, store_url: str | None = None, update_url: str | None = None) -> Endpoints:
    """The query, update and GSP URLs of the store at ``url`` (see module docstring)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"--endpoint {url!r} is not an http(s) URL")
    kind = _kind(parts.path.rstrip("/"))
    found = layout_of(kind, url) if kind else Endpoints(url, None, None)
    return replace(found, update=update_url or found.update, store=store_url or found.store)


def identify(server_header: str | None) -> str | None:
    """The store (``STORES``) a ``Server`` header names, if any: ``Virtuoso/07.20.3229 (Linux)``,
    ``Oxigraph/0.5.2``, ``Apache Jena Fuseki (5.1.0)``, ``GraphDB/10``…"""
    text = (server_header or "").lower()
    return next((kind for name, kind in _SERVER_NAMES.items() if name in text), None)


def suggestion(kind: str, url: str) -> str:
    """The options that point ``push`` at store ``kind``'s services, for a message."""
    right = layout_of(kind, url)
    if right.store is None:
        return ""
    return f"give --store-url {right.store} --update-url {right.update}"


def require_push_urls(endpoints: Endpoints, url: str) -> tuple[str, str]:
    """(update URL, GSP URL) for a push, or a ``UserError`` saying which option to give."""
    if endpoints.kind == "blazegraph" and not endpoints.store:
        raise UserError(f"{url} is Blazegraph, which has no SPARQL 1.1 Graph Store Protocol; load the graph with "
                        "its bulk loader or REST API (POST …/sparql?context-uri=IRI), or give --store-url of a "
                        "Graph Store Protocol service")
    if not endpoints.store:
        raise UserError(f"cannot tell the Graph Store Protocol URL of {url}; give it with --store-url")
    if not endpoints.update:
        raise UserError(f"cannot tell the SPARQL Update URL of {url}; give it with --update-url")
    return endpoints.update, endpoints.store
