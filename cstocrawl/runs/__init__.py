"""A run's life and its protocol: its files, lock, preflight, judging, exit code, manifest, report,
the cron runner and the status check."""
