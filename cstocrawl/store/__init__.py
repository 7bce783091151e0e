"""What outlives a run and is read across runs: the state database, what an incremental run
requests from it, English-Russian pairing over it, and the CSV feed exporter."""
