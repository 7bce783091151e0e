"""A deterministic replica of the CSTO website and the dataset a correct crawl of it produces.

site = ReplicaSite(lang="en", variant="bitrix", articles_per_section=12, page_size=5, seed=0)
with serve(site) as base_url:
    ...  # crawl base_url, compare with site.expected_articles()
"""

from .content import SECTIONS, Article, clean
from .markup import (
    ALL_VARIANTS,
    HELD_OUT_VARIANTS,
    SERVED_VARIANTS,
    THIRD_ROUND_VARIANTS,
    UNSEEN_VARIANTS,
    VARIANTS,
)
from .server import make_server, serve
from .site import (
    Alias,
    Fault,
    ReplicaSite,
    Response,
    encoded,
    padded,
    rewritten,
    substituted,
    truncated,
)

__all__ = [
    "ALL_VARIANTS",
    "HELD_OUT_VARIANTS",
    "SECTIONS",
    "SERVED_VARIANTS",
    "THIRD_ROUND_VARIANTS",
    "UNSEEN_VARIANTS",
    "VARIANTS",
    "Alias",
    "Article",
    "Fault",
    "ReplicaSite",
    "Response",
    "clean",
    "encoded",
    "make_server",
    "padded",
    "rewritten",
    "serve",
    "substituted",
    "truncated",
]
