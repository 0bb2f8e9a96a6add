"""Readers of official files, as published (no "first convert it" step for the user)."""
