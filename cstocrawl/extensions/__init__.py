"""The project's Scrapy extensions: the run's life, the health check, the worker processes and
redirect revisits (each module says why it exists)."""
