"""Models of the oversight context."""
