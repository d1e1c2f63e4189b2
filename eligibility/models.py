"""Models of the eligibility context."""
