"""Extraction stages: from a Document's clean text to entities, events, topics and outcomes."""
