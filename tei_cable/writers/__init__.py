"""Writers: the document model (or TEI built from it) written out."""
