"""The print stage: the html stage's fragments in a print shell, laid out by WeasyPrint into PDFs."""
