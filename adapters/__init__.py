"""Thin adapters that bridge chat platforms (and the local console) to the core."""
