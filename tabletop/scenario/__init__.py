"""Scenario files: YAML with precise, collected errors, into typed models."""
