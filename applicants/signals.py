"""What the applicants context tells others, so that it depends on none of them."""

from django.dispatch import Signal

profile_changed = Signal()
"""Sent inside the saving transaction, with `applicant`, after any change of the profile (study and
work history, children, photo, personal details): these are facts of every case of the applicant."""
