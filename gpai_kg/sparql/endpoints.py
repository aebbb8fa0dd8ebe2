"""The three URLs of a SPARQL store, derived from the one a user gives.

SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) and Graph Store
HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) do not say
where a store puts its query, update and graph-store services; each product
does it its own way:

=================  ====================  ======================  ==================================
store              query                 update                  graph store (GSP)
=================  ====================  ======================  ==================================
Oxigraph           ``/query``            ``/update``             ``/store``
Fuseki             ``/ds/query``,        ``/ds/update``          ``/ds/data``
                   ``/ds/sparql``
GraphDB, RDF4J     ``/repositories/r``   ``/repositories/r/      ``/repositories/r/rdf-graphs/
                                         statements``            service``
=================  ====================  ======================  ==================================

Rules, from the URL's path (query string dropped):

1. ``…/repositories/<r>[/statements|/rdf-graphs/service]`` → GraphDB/RDF4J;
2. empty path, or one of ``/query`` ``/update`` ``/store`` at the root → Oxigraph;
3. ``/<ds>`` or ``/<ds>/(query|sparql|update|data|get)`` → Fuseki dataset ``<ds>``;
4. anything else: the URL is taken as the query URL, and ``push`` needs
   ``--store-url`` (and ``--update-url`` unless the URL is itself the update URL).

``--store-url`` / ``--update-url`` always win over the derivation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from gpai_kg.errors import UserError


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str | None
    store: str | None


def _url(parts, path: str) -> str:
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def derive(url: str, store_url: str | None = None, update_url: str | None = None) -> Endpoints:
    """The query, update and GSP URLs of the store at ``url`` (see module docstring)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"--endpoint {url!r} is not an http(s) URL")
    path = parts.path.rstrip("/")
    rdf4j = re.fullmatch(r"(.*/repositories/[^/]+)(/statements|/rdf-graphs/service)?", path)
    segments = [s for s in path.split("/") if s]
    if rdf4j:
        base = rdf4j.group(1)
        found = Endpoints(_url(parts, base), _url(parts, base + "/statements"),
                          _url(parts, base + "/rdf-graphs/service"))
    elif not segments or (len(segments) == 1 and segments[0] in ("query", "update", "store")):
        found = Endpoints(_url(parts, "/query"), _url(parts, "/update"), _url(parts, "/store"))
    elif len(segments) == 1 or (len(segments) == 2 and segments[1] in ("query", "sparql", "update", "data", "get")):
        base = "/" + segments[0]
        query = path if len(segments) == 2 and segments[1] in ("query", "sparql") else base + "/query"
        found = Endpoints(_url(parts, query), _url(parts, base + "/update"), _url(parts, base + "/data"))
    else:
        found = Endpoints(url, None, None)
    return Endpoints(found.query, update_url or found.update, store_url or found.store)


def require_push_urls(endpoints: Endpoints, url: str) -> tuple[str, str]:
    """(update URL, GSP URL) for a push, or a ``UserError`` saying which option to give."""
    if not endpoints.store:
        raise UserError(f"cannot tell the Graph Store Protocol URL of {url}; give it with --store-url")
    if not endpoints.update:
        raise UserError(f"cannot tell the SPARQL Update URL of {url}; give it with --update-url")
    return endpoints.update, endpoints.store
