"""Edit-to-reload latency of `dhr preview` for `make bench` (prints figures only).

Starts the preview on a copy of the example review, edits report.md, and measures the
time until the server reports a new build (what the open page polls for) and the new
page can be fetched; then the time until the background NER findings arrive.
"""

from __future__ import annotations

import json
import shutil
import socket
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from pipeline.preview.server import Preview, serve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "example-dhr-anna"


def get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.read()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case"
        shutil.copytree(EXAMPLE, case)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server, _ = serve(Preview(case, EXAMPLE / "key.example.yaml"), port)
        try:
            while json.loads(get(port, "/version"))["ner_pending"]:
                time.sleep(0.05)
            reloads, ner = [], []
            report = case / "report.md"
            for i in range(5):
                version = json.loads(get(port, "/version"))["version"]
                text = report.read_text(encoding="utf-8")
                start = time.perf_counter()
                report.write_text(text.replace("# Timescales\n",
                                               f"# Timescales\n\nEdit number {i}.\n", 1),
                                  encoding="utf-8")
                while json.loads(get(port, "/version"))["version"] == version:
                    time.sleep(0.005)
                get(port, "/report.html")
                reloads.append(time.perf_counter() - start)
                while json.loads(get(port, "/version"))["ner_pending"]:
                    time.sleep(0.01)
                ner.append(time.perf_counter() - start)
        finally:
            server.shutdown()
    print(f"preview edit-to-reload (HTML, key and pattern rules): median "
          f"{statistics.median(reloads):.2f} s, max {max(reloads):.2f} s over {len(reloads)} "
          f"edits; NER findings follow at median {statistics.median(ner):.2f} s")


if __name__ == "__main__":
    main()
