"""Request fingerprints on canonical URLs, so junk parameters never cause a second download."""

from __future__ import annotations

import hashlib
import json
from weakref import WeakKeyDictionary

from scrapy import Request

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
            self._cache[request] = canonical_fingerprint(request, canonicalize_url(request.url))
        return self._cache[request]


def canonical_fingerprint(request: Request, url: str) -> bytes:
    """`scrapy.utils.request.fingerprint` of the request made for `url` (no headers), which is in
    w3lib's canonical form already (site.canonicalize_url ends with it): canonicalising it again,
    as Scrapy would, was a third of fingerprinting a request."""
    method, body, url = map(json.dumps, (request.method, request.body.hex(), url))
    text = f'{{"body": {body}, "headers": {{}}, "method": {method}, "url": {url}}}'
    return hashlib.sha1(text.encode()).digest()
