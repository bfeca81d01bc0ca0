"""Page weight of the today page: the bytes of JavaScript and CSS a phone downloads for it.

Starts a real server, signs a demo lifter in, loads ``/today`` with an exercise
chosen (the page a lifter has open in the gym), finds every ``<script src>``,
``<link rel=stylesheet>`` and ``<link rel=manifest>`` in its HTML, fetches each,
and the service worker (``/sw.js``, which app.js registers), and adds up the bytes
as served and gzip-compressed (level 6, what a compressing proxy would send).
Goal: under 150 KB of JavaScript, CSS, manifest and service worker transferred,
uncompressed (the app serves them uncompressed). Exit status 1 over the goal.

    python -m bench.page_weight [--json out.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx

from bench.web_server import demo_lifter, running_app

GOAL_BYTES = 150 * 1024
PAGE = "/today?exercise=barbell-squat"
SERVICE_WORKER = "/sw.js"
"""Registered by app.js, not linked from the HTML: fetched by the phone all the same."""


class _Assets(HTMLParser):
    """The scripts, stylesheets and web app manifest a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "script" and named.get("src"):
            self.found.append(("js", named["src"]))
        rel = named.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel and named.get("href"):
            self.found.append(("css", named["href"]))
        if tag == "link" and "manifest" in rel and named.get("href"):
            self.found.append(("json", named["href"]))


@dataclass(frozen=True)
class Asset:
    kind: str
    url: str
    bytes: int
    gzip_bytes: int


def measure(base_url: str, cookies: httpx.Cookies, page: str = PAGE) -> tuple[Asset, list[Asset]]:
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=30) as client:
        html = client.get(page)
        html.raise_for_status()
        parser = _Assets()
        parser.feed(html.text)
        assets = []
        for kind, url in [*parser.found, ("sw", SERVICE_WORKER)]:
            body = client.get(url)
            body.raise_for_status()
            assets.append(Asset(kind, url, len(body.content), len(gzip.compress(body.content, 6))))
    document = Asset("html", page, len(html.content), len(gzip.compress(html.content, 6)))
    return document, assets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_weight", description=__doc__)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    with running_app() as base_url:
        document, assets = measure(base_url, demo_lifter(base_url))
    total = sum(a.bytes for a in assets)
    total_gzip = sum(a.gzip_bytes for a in assets)
    print(f"Page weight of {PAGE} (JavaScript, CSS, manifest and service worker it loads)")
    print(f"{'kind':<5} {'bytes':>8} {'gzip':>8}  url")
    for asset in assets:
        print(f"{asset.kind:<5} {asset.bytes:>8} {asset.gzip_bytes:>8}  {asset.url}")
    print(f"{'total':<5} {total:>8} {total_gzip:>8}  JS + CSS + manifest + service worker")
    print(f"{'html':<5} {document.bytes:>8} {document.gzip_bytes:>8}  the page itself")
    within = total < GOAL_BYTES
    print(
        f"JS + CSS + manifest + worker: {total / 1024:.1f} KB as served "
        f"({total_gzip / 1024:.1f} KB gzipped), "
        f"goal under {GOAL_BYTES // 1024} KB: {'met' if within else 'MISSED'}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "page": PAGE,
                    "assets": [asdict(a) for a in assets],
                    "document": asdict(document),
                    "total_bytes": total,
                    "total_gzip_bytes": total_gzip,
                    "goal_bytes": GOAL_BYTES,
                    "met": within,
                },
                indent=2,
            )
        )
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
