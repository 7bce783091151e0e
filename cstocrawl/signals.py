"""The project's own signals (Scrapy's scrapy/signals.py is the model): sent through
`crawler.signals.send_catch_log(signal, **arguments)`, connected with `crawler.signals.connect`.
Each is a plain object; the comment says who sends it, with what, and who listens."""

# Sent by the spider (with the page's canonical `url`, `kind`, `reason` and its listing's `summary`)
# for a page lost after Scrapy's retries or not read: the state pipeline puts it on the retry list,
# the verdict pipeline counts it.
page_failed = object()
# Sent by the spider (with `url` and `kind`) for a listing page read: off the retry list.
page_read = object()
