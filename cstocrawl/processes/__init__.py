"""Processes the crawl starts and controls: the CPU worker pools and the children that die with
it."""
