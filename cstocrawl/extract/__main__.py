"""`python -m cstocrawl.extract FILE...`: print the text we would store for each file."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from cstocrawl.extract import extract_text

PROG = "cstocrawl.extract"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=f"python -m {PROG}", description="Print the text extracted from .docx/.pdf files."
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per line per file")
    args = parser.parse_args(argv)
    # pypdf reports every repaired defect; the error we print says what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    failed = False
    for index, path in enumerate(args.files):
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            print(f"{PROG}: {path}: {error.strerror or error}", file=sys.stderr)
            failed = True
            continue
        result = extract_text(data)
        if result.error:
            print(f"{PROG}: {path}: {result.error}", file=sys.stderr)
            failed = True
        if args.json:
            record = {
                "path": path,
                "media_type": result.media_type,
                "text": result.text,
                "error": result.error,
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            if len(args.files) > 1:
                print(f"{'' if index == 0 else chr(10)}==> {path} <==")
            if result.text:
                print(result.text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
