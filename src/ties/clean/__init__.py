"""Cleaning: from a reader's raw blocks to the article's main text."""
