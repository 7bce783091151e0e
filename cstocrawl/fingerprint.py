"""Request fingerprints on canonical URLs, so junk parameters never cause a second download."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.utils.request import fingerprint

from cstocrawl.site import canonicalize_url


class CanonicalUrlFingerprinter:
    """Scrapy's own fingerprint, computed on the URL as `cstocrawl.site` canonicalises it."""

    def __init__(self) -> None:
        self._cache: WeakKeyDictionary[Request, bytes] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: object) -> CanonicalUrlFingerprinter:
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        if request not in self._cache:
            url = canonicalize_url(request.url)
            self._cache[request] = fingerprint(
                request if url == request.url else request.replace(url=url)
            )
        return self._cache[request]
