"""Serve a replica by hand: python -m tests.replica --lang en --variant custom --port 8800;
a sister site, both languages: python -m tests.replica --sister jscsto --port 8801"""

from __future__ import annotations

import argparse

from . import SERVED_VARIANTS, ReplicaSite, make_server
from .server import Served
from .sister import SISTERS, SisterSite


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.replica", description=__doc__)
    parser.add_argument("--lang", choices=("en", "ru"), default="en")
    parser.add_argument("--variant", choices=SERVED_VARIANTS, default="bitrix")
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--articles-per-section", type=int, default=12)
    parser.add_argument("--page-size", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sister", choices=tuple(SISTERS), help="a sister site instead")
    args = parser.parse_args()
    site: Served
    if args.sister:
        site, what = SisterSite(args.sister, seed=args.seed), f"the {args.sister} replica"
    else:
        site = ReplicaSite(
            lang=args.lang,
            variant=args.variant,
            articles_per_section=args.articles_per_section,
            page_size=args.page_size,
            seed=args.seed,
        )
        what = f"the {args.lang} {args.variant} replica"
    server = make_server(site, args.port)
    print(f"Serving {what} at http://127.0.0.1:{server.server_port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
