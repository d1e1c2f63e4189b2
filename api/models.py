"""Models of the api context."""
