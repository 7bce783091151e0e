"""Item pipelines, one job each; their order is set in cstocrawl.settings.ITEM_PIPELINES."""
