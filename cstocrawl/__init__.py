"""cstocrawl: the CSTO website as clean, versioned JSON Lines datasets."""

__version__ = "0.1.0"
