"""`edition serve`: a local preview of the site, rebuilt when a source changes."""
