"""Every numeric threshold of the parsers, one constant each with its reason, in one place.

A threshold is a measured judgement, not a detail of one function: changing one changes what the
parsers return, so `python -m tests.parsing.fingerprint` and tests/golden say what moved. Where it
was measured: docs/extraction.md, section named in brackets. The second opinion's shares stay in
parsing/second_opinion.py, beside the trafilatura weighing they tune.
"""

from __future__ import annotations

# --- the title (parsing/title.py) --------------------------------------------------------------

# A line the evidence names is 2 to 600 characters: one character names nothing, more is prose.
EVIDENCE_LINE_CHARS = (2, 600)
# A heading-like line without evidence is 3 to 500 characters ("Dear colleagues!" is 16).
HEADING_CHARS = (3, 500)
# Ranking lines the evidence names, prose under them counts to here: past it both are articles,
# so placement decides (a sidebar teaser has far less).
RANKED_PROSE = 400
# Counting prose under a line stops here: enough to tell an article from a sidebar, cheap.
PROSE_READ = 4000
# A heading with this much prose under it (characters outside links) heads an article.
ARTICLE_PROSE = 200
# A date this many lines above a heading, or below it, stands beside it (a dated heading).
DATE_NEAR_ABOVE = 1
DATE_NEAR_BELOW = 3
# A teaser shorter than this (characters) says too little to recognise its paragraph by.
TEASER_MIN = 20

# --- the header, block and edges (parsing/detail.py) -------------------------------------------

# How many lines after the title may still hold its date or the download line.
HEADER_ZONE = 6
# Widening the densest block may add this much prose (a date line, a caption, share labels):
# the larger of WIDEN_SHARE of its prose and WIDEN_SLACK characters.
WIDEN_SLACK = 80
WIDEN_SHARE = 0.1
# A line with less prose than this (characters outside links) is not counted in the densest block.
DENSE_LINE = 25
# A label beside a date longer than this (characters) may be prose: "<label> dd.mm.yyyy" bylines.
BYLINE_LABEL = 80
# A byline links at most so many places (its section, a print version, comments).
BYLINE_LINKS = 3
# A label over a gallery is at most this long ("Photo gallery", "Фотогалерея").
GALLERY_LABEL = 40
# A block holding this share of the page's prose is the article, never a header beside it.
ARTICLE_SHARE = 0.5
# The block holding the title is the article's header when what follows the title in it, times
# this, is less prose than the block with the most prose holds after the title.
THIN_HEADER = 1
# A paragraph this long (characters, no links) left after the body's end may be its own text.
CUT_PROSE = 80
# A line between the title and the body's known start longer than this is prose, not a header.
HEADER_LINE = 200
# A date this many lines above the title may still be its own ("date above the title" templates).
DATE_ABOVE = 3
# Beside a file link, text this short is its size or type ("PDF, 120 KB"), not prose.
FILE_LINE_REST = 20
# The navigation block after the body's end is read this many lines on for more back links.
NAV_AFTER_BODY = 4
# libxml2's depth limit even with huge_tree: a page this deep lost its end while parsing
# ([The evidence, strongest first]).
PARSER_DEPTH_LIMIT = 2047

# --- link lists and teasers (parsing/layout.py, parsing/lines.py) ------------------------------

# A teaser of another article is at most this long (visible characters), its date line too
# ([The evidence, strongest first]).
TEASER_CHARS = 600
TEASER_DATE_LINE = 120
# A line this long before any link of the link lists around it is prose they swallowed.
LEADING_PROSE = 15
# A run of teasers may have a heading this long ("Other news", "Read also").
TEASER_LABEL = 60
# An <img> declared no larger than this (width and height, pixels) is an icon, never a picture
# ([The evidence, strongest first]).
ICON_SIZE = 32

# --- evidence, dates, language ------------------------------------------------------------------

# A listing may cut a title at this many characters without saying so.
TRUNCATED_TITLE = 40
# A place is named in at most this many words; more is a sentence ("June 9, 2021, the meeting...").
PLACE_WORDS = 4
# The page's <html lang> is read from its first this many characters (its head).
HEAD_CHARS = 4096
# Fewer letters than this say nothing of a language (a title of acronyms, a date).
MIN_LETTERS = 40
# The share of Cyrillic among the letters: Russian text quotes Latin names and acronyms ("CSTO",
# "OSCE"), English text hardly ever Cyrillic; between the two bounds the text is not judged.
CYRILLIC_SHARE = {"ru": 0.3, "en": 0.5}
