"""Readers of the source documents: the Formex 4 XML of the Official Journal, its cross-references, the AI Office Q&A."""
