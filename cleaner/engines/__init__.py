"""Where batches run (local process pool, Dask). No cleaning logic."""
