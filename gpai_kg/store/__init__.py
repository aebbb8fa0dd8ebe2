"""The embedded graph: the dataset loaded into pyoxigraph (and rdflib), and lookups of provisions in it."""
