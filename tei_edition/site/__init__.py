"""The site stage: the html stage's fragments cut into reading pages inside Jinja shells, and the pages
around them (register, chronology, home, downloads, search, guidelines)."""
