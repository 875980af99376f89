"""Push stage: load a built graph into a live database server."""
