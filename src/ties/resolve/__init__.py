"""Resolution, between extraction and storage: entity keys, story near-duplicates and the one
rule for "same engagement" (with the signals that explain it), used within and across documents."""
