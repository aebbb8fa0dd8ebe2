"""Publishing: RDF serialisations, JSON-LD, Akoma Ntoso, HTML documentation, reports of assessments."""
