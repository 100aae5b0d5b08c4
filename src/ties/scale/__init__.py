"""Scale-out: extraction on a Dask cluster into a Parquet dataset, and ingest of that dataset.

rows     a read document (Document + Extraction, or ReadFailure) <-> one Arrow row, both ways
dataset  the dataset on disk or any fsspec URL: marker, part files, reading them back in order
inputs   listing inputs on the client, reading them where the work runs (local or fsspec URL)
cluster  the Dask run: batches of inputs as tasks, parts written as they come back
"""

DEFAULT_BATCH = 100  # documents per task and per part: ~1 MB parts, thousands of tasks per million
