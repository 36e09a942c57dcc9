"""Discover, read, find headers, map columns and link sheets of one case folder."""
