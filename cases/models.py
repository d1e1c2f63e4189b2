"""Models of the cases context."""
