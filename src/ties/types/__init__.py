"""Value types with rules of their own (as followthemoney's types): partial dates and names."""
