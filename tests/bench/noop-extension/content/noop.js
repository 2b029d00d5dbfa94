// Deliberately empty: the page pays for an isolated world and a parsed script, and for nothing else.
