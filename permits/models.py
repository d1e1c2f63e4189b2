"""Models of the permits context."""
