"""Running the cleaner over many documents: one record (records.py), a JSON Lines stream in
order on one process or several (stream.py), the two-pass mode that learns site templates
from the input first (two_pass.py), a directory tree with its manifest and resume
(batch.py). Where the work runs (local processes, Dask) is in cleaner.engines; the commands
that start these runs are in cleaner.commands and cleaner.cli."""
