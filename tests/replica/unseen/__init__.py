"""Held-out markups of the replica (UNSEEN_VARIANTS, HELD_OUT_VARIANTS): re-skins written blind.

Renderer(lang, name, seed) builds them through RENDERERS; the content and ground truth are the
same as for VARIANTS, only the HTML around it differs. Each module's docstring says what it tests.
"""

from __future__ import annotations

from ..markup import HELD_OUT_VARIANTS, THIRD_ROUND_VARIANTS, UNSEEN_VARIANTS
from .archive import ArchiveRenderer
from .bare import BareRenderer
from .base import UnseenRenderer
from .flat import FlatRenderer
from .gazette import GazetteRenderer
from .hero import HeroRenderer
from .minimal import MinimalRenderer
from .modern import ModernRenderer
from .portal import PortalRenderer
from .press import PressRenderer
from .table import TableRenderer

RENDERERS: dict[str, type[UnseenRenderer]] = {
    "table": TableRenderer,
    "modern": ModernRenderer,
    "portal": PortalRenderer,
    "minimal": MinimalRenderer,
}
assert tuple(RENDERERS) == UNSEEN_VARIANTS, "register every unseen markup in both places"
# The second round (HELD_OUT_VARIANTS), apart so that tests over UNSEEN_VARIANTS stay as they are.
HELD_OUT_RENDERERS: dict[str, type[UnseenRenderer]] = {
    "flat": FlatRenderer,
    "bare": BareRenderer,
    "press": PressRenderer,
}
assert tuple(HELD_OUT_RENDERERS) == HELD_OUT_VARIANTS, "register every held-out markup twice"
# The third round (THIRD_ROUND_VARIANTS): the article's edges and formal texts.
THIRD_ROUND_RENDERERS: dict[str, type[UnseenRenderer]] = {
    "hero": HeroRenderer,
    "gazette": GazetteRenderer,
    "archive": ArchiveRenderer,
}
assert tuple(THIRD_ROUND_RENDERERS) == THIRD_ROUND_VARIANTS, "register every markup twice"

__all__ = [
    "HELD_OUT_RENDERERS",
    "RENDERERS",
    "THIRD_ROUND_RENDERERS",
    "ArchiveRenderer",
    "BareRenderer",
    "FlatRenderer",
    "GazetteRenderer",
    "HeroRenderer",
    "MinimalRenderer",
    "ModernRenderer",
    "PortalRenderer",
    "PressRenderer",
    "TableRenderer",
]
