"""The web adapter: the REST API (FastAPI, OpenAPI at ``/openapi.json``)."""
