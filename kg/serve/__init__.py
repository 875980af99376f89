"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint and the HTML view, on loopback."""

from kg.serve.endpoint import Endpoint, make_server, serve_in_thread

__all__ = ["Endpoint", "make_server", "serve_in_thread"]
