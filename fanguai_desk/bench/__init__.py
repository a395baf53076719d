"""The benchmark: a county's worth of synthetic files, each operation timed next to the raw engine.

``builder`` makes (and caches) the registry, ``measurements`` holds one function per figure,
``raw`` replays the SQL our layers emitted on bare sqlcipher3 / sqlite3 connections, ``report`` writes
the JSON, the table and the plot.  Nothing here imports Qt at module level (the list-model
measurement loads it lazily), so the benchmark runs headless.
"""
