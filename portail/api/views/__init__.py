"""API endpoints, one module per concept; each view is an @endpoint (see api/http.py)."""
