"""The back office's pages, one module per concept (families, booking, ...)."""
