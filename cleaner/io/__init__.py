"""Readers and writers: text, JSON Lines, HTML extraction, provenance logs. No cleaning logic."""
