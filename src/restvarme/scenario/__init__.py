"""Scenario files: schema, loading and validation."""
