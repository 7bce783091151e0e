"""Scrapy settings for cstocrawl. Every setting says why it has the value it has.

Project settings are prefixed CSTOCRAWL_. Override any of them per run with `-s NAME=VALUE`.
"""

BOT_NAME = "cstocrawl"
SPIDER_MODULES = ["cstocrawl.spiders"]
NEWSPIDER_MODULE = "cstocrawl.spiders"
# `scrapy crawl` with an exit code that tells the truth and the output dir's lock; `scrapy shell`,
# `parse`, `check`, `fetch` and `view` that record nothing (cstocrawl/commands/).
COMMANDS_MODULE = "cstocrawl.commands"

# --- Output -------------------------------------------------------------------------------------
# Where datasets, downloaded files, logs and the crawl state live.
CSTOCRAWL_OUTPUT_DIR = "output"
# The run id names every file a run writes; empty means the UTC start time, YYYYMMDDTHHMMSSZ.
CSTOCRAWL_RUN_ID = ""
# A run of a mirror (-a base_url=..., the replica) refuses an output dir whose last recorded run
# crawled the official site, and the reverse (exit 64): a mirror's pages would pass for the
# site's. True: mix them all the same (a mirror known to be a faithful copy).
CSTOCRAWL_MIX_SOURCES = False

# --- Crawl scope ----------------------------------------------------------------------------------
# A listing is never paged further than this, whatever its pager says (Bitrix answers any PAGEN_1).
CSTOCRAWL_MAX_PAGES = 500

# --- Incremental runs (cstocrawl/store/incremental.py, state in <output dir>/state.sqlite) --------
# Known articles published this many days before the run's date are fetched again to catch edits;
# older known ones are not requested. `-a full=1` re-crawls and re-emits everything.
CSTOCRAWL_RECHECK_DAYS = 14
# The run's date, YYYY-MM-DD, for the re-check window; empty means today's UTC date (tests set it).
CSTOCRAWL_TODAY = ""
# A page, listing or attachment download that failed is requested again by the next runs, this
# many times, then given up and reported (the state's retry list; docs/reliability.md).
CSTOCRAWL_RETRY_RUNS = 3

# --- Health: when a run is a failure (read at close; the cron runner makes it an exit code) ---
# Each article is judged on its own (cstocrawl/runs/verdict.py): a doubtful one is held, not
# written, and fetched again next run, so one bad page never fails the run. The run fails (not
# promoted) only when more than this share of the articles it fetched were held or failed (exit 4,
# or 3 when failed ones are the most), or of the pages and files it tried failed (exit 3): then the
# markup or the site is broken, not a page. Held or failed again after an earlier run: not counted.
CSTOCRAWL_MAX_DOUBT_SHARE = 0.2
# ... and only when at least this many were: 1 bad article of 3 is a bad page, not a broken site.
CSTOCRAWL_MIN_DOUBTFUL = 5
# Share of the parsed articles whose title or date disagrees with their listing's, or whose body
# is a fragment, above which the template is broken ("confident nonsense", extensions/health.py);
# CSTOCRAWL_MIN_DOUBTFUL of them at least. Fewer are only held.
CSTOCRAWL_MAX_PROBLEM_RATIO = 0.5
# Share of the run's attachments that failed (not downloaded, or not read) above which the run
# fails (exit 3, not promoted): the file host is down or the extraction limits are wrong, and the
# next run fetches the articles again with their files. Fewer than three failed files never fail
# a run (cstocrawl/runs/outcome.py); each is in the summary line, and a failed download is retried.
CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO = 0.5

# --- Politeness: the site is an old CMS on a government network --------------------------------
ROBOTSTXT_OBEY = True
USER_AGENT = "cstocrawl/0.1 (+https://github.com/cstocrawl/cstocrawl; research dataset crawler)"
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
# Items a callback yields that go through the pipelines at once. A page yields one article, and
# Scrapy starts this many asyncio tasks per callback whatever it yields: 100 (the default) cost a
# fifth of the crawl's CPU (docs/benchmarks.md).
CONCURRENT_ITEMS = 8
RETRY_ENABLED = True
RETRY_TIMES = 3
# Pages larger than this are refused (recorded as an error), so one runaway page cannot eat memory.
DOWNLOAD_MAXSIZE = 20 * 2**20
DOWNLOAD_WARNSIZE = 5 * 2**20

# --- CPU ------------------------------------------------------------------------------------------
# Worker processes that parse listing and article pages beside the crawl's own process
# (cstocrawl/processes/workers.py); 0 does that work inline. One fills a 2-core machine.
CSTOCRAWL_WORKERS = 1
# Worker processes that extract attachment text, apart from the page workers so a slow file never
# holds up page parsing (issue 13). At least one: the limits below are enforced on a process.
CSTOCRAWL_ATTACHMENT_WORKERS = 1
# The crawl process's garbage collector runs its young generation every this many net allocations
# (cstocrawl/extensions/collector.py): Python's 700 cost 1.4 to 1.7 of a 5,000-article crawl's
# 19 to 22 CPU s, 10,000 about 0.4, for the same peak RSS. 0 keeps Python's.
CSTOCRAWL_GC_THRESHOLD = 10000
# A page whose parsing takes longer (seconds) has its worker killed and fails with an error
# instead of stalling the crawl; real pages parse in milliseconds. 0: no limit.
CSTOCRAWL_PAGE_TIMEOUT = 120

# --- De-duplication ------------------------------------------------------------------------------
# Fingerprints use the site's canonical URL (bxajaxid, sessid, utm_* removed; www/bare host merged).
REQUEST_FINGERPRINTER_CLASS = "cstocrawl.fingerprint.CanonicalUrlFingerprinter"

# --- Attachments (cstocrawl.pipelines.attachments) ---------------------------------------------
# Stored files live in FILES_STORE; empty means <output dir>/files.
FILES_STORE = ""
# Published documents do not change: a stored file is never fetched again (100 years).
FILES_EXPIRES = 36500
# The site serves some uploads through redirects.
MEDIA_ALLOW_REDIRECTS = True
# A download larger than this is cancelled and recorded as failed.
CSTOCRAWL_ATTACHMENT_MAXSIZE = 50 * 2**20
# A .docx (a zip) that would inflate beyond this is refused as a zip bomb.
CSTOCRAWL_ATTACHMENT_MAX_UNCOMPRESSED = 200 * 2**20
# Wall time (seconds) for extracting one file's text; over it the worker is killed and the file
# is `failed`, and not tried again by later runs until the extractor or this limit changes: a
# 166 KB PDF of 1,000 pages sharing one content stream took about 7 hours in pypdf (issue 13).
CSTOCRAWL_ATTACHMENT_TIMEOUT = 120
# Address space (bytes, RLIMIT_AS) of an attachment worker; a file that needs more is `failed`
# (and remembered like a timeout): a 614 KB .docx of one-letter runs took 3.26 GB (issue 13).
CSTOCRAWL_ATTACHMENT_MAX_MEMORY = 2**30
# Characters of text kept per file; the rest is not read, and `error` says where it was cut.
# About 400 pages of prose, far beyond any statement, protocol or treaty the site publishes.
CSTOCRAWL_ATTACHMENT_MAX_CHARS = 1_000_000

# --- WARC: every response kept as received (cstocrawl/archive/warc.py, issue 12) ------------------
# Every response and its request go to <output dir>/warc/<run id>.warc.gz, for citing what the site
# said and for re-extracting datasets offline (python -m cstocrawl.archive.reextract).
# False: no capture.
CSTOCRAWL_WARC = True
# A WARC file is closed and the next (<run id>-1.warc.gz, ...) begun past this many bytes; 0: never.
# 1 GiB, the size web archives and their tools commonly expect.
CSTOCRAWL_WARC_MAX_SIZE = 2**30
# Attachments are stored under files/ already: the WARC keeps their headers and a revisit record
# naming the stored file by SHA-256. True: their bytes go into the WARC too.
CSTOCRAWL_WARC_ATTACHMENTS = False
# WARC files a run replays instead of fetching (set by python -m cstocrawl.archive.reextract, which
# also swaps the download handlers); empty: a live crawl.
CSTOCRAWL_REPLAY_WARCS: list[str] = []

# --- Pipelines: one job each, in this order ------------------------------------------------------
ITEM_PIPELINES = {
    "cstocrawl.pipelines.cleaning.CleaningPipeline": 100,
    # Accepted, held or failed (cstocrawl/runs/verdict.py): a held article goes no further. After
    # cleaning (it reads the cleaned text), before the state records or merges anything.
    "cstocrawl.pipelines.verdict.VerdictPipeline": 140,
    # Before attachments, so an unchanged article costs no attachment work in incremental runs.
    "cstocrawl.pipelines.state.StatePipeline": 150,
    "cstocrawl.pipelines.attachments.AttachmentsPipeline": 200,
    # Every item against cstocrawl/schema/article.schema.json, before anything records or writes
    # it; an invalid one goes to <output dir>/news/<run id>.rejects.jsonl instead.
    "cstocrawl.pipelines.validation.ValidationPipeline": 300,
    "cstocrawl.pipelines.jsonl.JsonLinesWriterPipeline": 900,
}
EXTENSIONS = {
    # A cron job has no use for a telnet console, and it is an open port.
    "scrapy.extensions.telnet.TelnetConsole": None,
    # One run at a time per output dir, also for a crawl started without `scrapy crawl`
    # (cstocrawl/runs/lock.py); `scrapy crawl` and the cron runner took it already. Before the run
    # begins, so no second run touches the state.
    "cstocrawl.runs.lock.RunLock": 0,
    # The run's life: on record in the state before anything is fetched; at the end, judged, then
    # promoted or discarded, `latest.jsonl`, the manifest (cstocrawl/runs/extension.py). The
    # components that record the run reach it with `RunLifecycle.of(crawler)`.
    "cstocrawl.runs.extension.RunLifecycle": 100,
    # What the run extracted, judged at its end (cstocrawl/extensions/health.py).
    "cstocrawl.extensions.health.HealthCheck": 500,
    # The page and attachment worker processes (cstocrawl/processes/extension.py).
    "cstocrawl.processes.extension.Workers": 0,
    # A redirect chain that returns to a URL it passed is followed, not dropped as a duplicate.
    "cstocrawl.extensions.redirects.RedirectRevisits": 500,
    # The garbage collector's threshold for the crawl (CSTOCRAWL_GC_THRESHOLD).
    "cstocrawl.extensions.collector.CollectorThreshold": 0,
}
# Scrapy's spider middlewares this crawl has no use for. Each wraps every callback's output in
# one more asynchronous generator, a step per request and item, whatever it does with them (part
# of the crawl process's cost over the floor, docs/benchmarks.md). Kept: HttpError (the errbacks
# read HttpError) and Start (marks the start requests, once).
SPIDER_MIDDLEWARES = {
    # Sets Referer on every request: the site needs none, and it resolves a referrer policy a
    # request; the requests differ from the floor's by that header only.
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    # Drops links longer than 2,083 characters: the spider requests only canonical URLs it built
    # from site.py's patterns (listing pages and article paths), all far shorter.
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    # Counts link depth for DEPTH_LIMIT and DEPTH_PRIORITY, neither of which the crawl sets: paging
    # is bounded by CSTOCRAWL_MAX_PAGES and priorities are the spider's own.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    # Warns once when a request carries meta keys copied from a response's: a check for spider
    # authors; the spider builds every request's meta (cb_kwargs) itself.
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
# Scrapy's robots.txt and offsite filters, fixed so no page is fetched or lost unnoticed
# (cstocrawl/middlewares.py says what each fixes).
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "cstocrawl.middlewares.OffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "cstocrawl.middlewares.RobotsTxtMiddleware": 100,
    # Next to the downloader, after HttpCache (900): the bytes as received, before decompression,
    # redirects and retries (cstocrawl/archive/warc.py says why here).
    "cstocrawl.archive.warc.WarcCapture": 950,
}
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control is an HTTP server on localhost that runs the Python code sent to
# it: an open port again, and worse than the telnet console. A cron job has no use for it.
REMOTE_CONTROL_ENABLED = False

# --- Misc ----------------------------------------------------------------------------------------
# Scrapy's in-memory stats without the shim that checks every stat call for a deprecated argument
# (cstocrawl/runs/stats.py).
STATS_CLASS = "cstocrawl.runs.stats.RunStatsCollector"
FEED_EXPORT_ENCODING = "utf-8"
# `-o x.csv`: nested fields (attachments, images, problems, aliases) as JSON cells, not a repr.
FEED_EXPORTERS = {"csv": "cstocrawl.store.exporters.CsvJsonItemExporter"}
LOG_LEVEL = "INFO"
