"""Signing in: the throttle, the two-factor step for administrators, and their pages."""
