"""SPARQL: the read-only guard, the time-limited worker, canned queries, remote endpoints, the Oxigraph server and push."""
