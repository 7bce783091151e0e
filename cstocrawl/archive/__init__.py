"""What was fetched, kept as WARC files, and the re-extraction that reads them back offline."""
