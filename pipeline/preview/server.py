"""The chair's preview: a local web server showing the rendered draft, live.

Takes a review folder (and optionally the key); serves, on 127.0.0.1 only, the overview
report, executive summary and action plan as rendered HTML, with the redaction gate's
findings highlighted in place and listed in a panel. A watcher (watchfiles) rebuilds the
HTML when a source file changes, and the open page reloads itself, keeping its scroll
position. The key and pattern rules run with the rebuild (well under a second); the NER
pass follows in the background and the page updates again when it is done. A failed
rebuild (bad YAML, an unknown heading) shows its ``file:line`` message instead of a stale
page. PDFs are rendered only when asked for. Nothing outside the preview's own pages is
served, and the key is only read.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

from pipeline.common.errors import DhrError, InputError

PAGES = ("report", "summary", "action-plan")
POLL_MS = 250


@dataclass
class State:
    version: int = 0
    pages: dict[str, str] = field(default_factory=dict)  # name -> web HTML
    print_pages: dict[str, str] = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)
    ner_pending: bool = False
    error: list[str] | None = None
    built_in: float = 0.0
    pdf_cache: dict[str, tuple[str, bytes]] = field(default_factory=dict)


class Preview:
    """The model behind the server: rebuilds, findings, PDFs on demand."""

    def __init__(self, case_dir: Path, key_path: Path | None = None, ner: bool = True):
        self.case_dir = Path(case_dir)
        self.key_path = key_path
        self.use_ner = ner
        self.state = State()
        self.lock = threading.Lock()
        # Notified at every new version, so a caller can wait for a build, not for time.
        self.changed = threading.Condition(self.lock)
        self._ner_thread: threading.Thread | None = None

    # -- rebuilding ---------------------------------------------------------------------

    def rebuild(self) -> None:
        from pipeline.case.folder import load_case
        from pipeline.report.render import (
            parse_report,
            render_action_plan,
            render_report,
            render_summary,
        )

        start = time.perf_counter()
        try:
            case = load_case(self.case_dir)
            parsed = parse_report(case)
            report = render_report(case, parsed)
            summary = render_summary(case, parsed)
            plan = render_action_plan(case, parsed)
            findings = self._findings(case, ner=False)
        except DhrError as exc:
            with self.lock:
                self.state.error = [str(p) for p in exc.problems]
                self.state.ner_pending = False  # an earlier build's pass will not report
                self.state.version += 1
                self.changed.notify_all()
            return
        with self.lock:
            self.state.pages = {"report": report.web_html, "summary": summary[0],
                                "action-plan": plan[0]}
            self.state.print_pages = {"report": report.print_html, "summary": summary[1],
                                      "action-plan": plan[1]}
            self.state.findings = findings
            self.state.error = None
            self.state.built_in = time.perf_counter() - start
            self.state.ner_pending = self.use_ner
            self.state.version += 1
            self.changed.notify_all()
            version = self.state.version
        if self.use_ner:
            self._ner_thread = threading.Thread(target=self._ner_pass, args=(case, version),
                                                daemon=True)
            self._ner_thread.start()

    def _findings(self, case, ner: bool) -> list[dict]:
        from pipeline.case.key import load_key
        from pipeline.gate.setup import gate_for

        key = load_key(self.key_path) if self.key_path else None
        gate = gate_for([self.case_dir], key=key, ner=ner)
        result = gate.check([case.report_path, case.action_plan_path])
        return [{"text": f.text, "rule": f.rule, "severity": f.severity,
                 "message": f.message, "where": f"{Path(f.path).name}:{f.line}"}
                for f in result.findings if f.text]

    def settled(self, since: int, timeout: float) -> int:
        """Wait until a version newer than ``since`` is served with nothing more to come
        (its name-recognition pass done); returns that version."""
        with self.changed:
            if not self.changed.wait_for(
                    lambda: self.state.version > since and not self.state.ner_pending,
                    timeout):
                raise TimeoutError(f"no settled preview after version {since}")
            return self.state.version

    def _ner_pass(self, case, version: int) -> None:
        try:
            findings = self._findings(case, ner=True)
        except DhrError:
            return
        with self.lock:
            if self.state.version != version:
                return  # a newer rebuild has started its own pass
            self.state.findings = findings
            self.state.ner_pending = False
            self.state.version += 1
            self.changed.notify_all()

    def pdf(self, name: str) -> bytes:
        from pipeline.report.pdf import html_to_pdf

        with self.lock:
            source = self.state.print_pages.get(name)
            cached = self.state.pdf_cache.get(name)
        if source is None:
            raise InputError(f"no {name} to render")
        digest = hashlib.sha256(source.encode()).hexdigest()
        if cached and cached[0] == digest:
            return cached[1]
        data = html_to_pdf(source, self.case_dir, self.case_dir / "report.md")
        with self.lock:
            self.state.pdf_cache[name] = (digest, data)
        return data

    # -- pages --------------------------------------------------------------------------

    def page(self, name: str) -> str:
        with self.lock:
            state = self.state
            if state.error is not None:
                return _error_page(state.error, state.version)
            body = state.pages[name]
            findings = list(state.findings)
            pending = state.ner_pending
            version = state.version
        panel = _panel(findings, pending, name)
        script = _SCRIPT.replace("__VERSION__", str(version)).replace(
            "__FINDINGS__", json.dumps(findings).replace("</", "<\\/")).replace(
            "__POLL__", str(POLL_MS))
        return body.replace("</body>", panel + script + "</body>", 1)


def _panel(findings: list[dict], pending: bool, name: str) -> str:
    nav = " ".join(f'<a href="/{p}.html">{p.replace("-", " ").title()}</a>' for p in PAGES)
    items = "".join(
        f'<li class="dhr-{html.escape(f["severity"])}"><a href="#dhr-finding-{i}">'
        f'{html.escape(f["text"])}</a> <span>{html.escape(f["rule"])}: '
        f'{html.escape(f["message"])} ({html.escape(f["where"])})</span></li>'
        for i, f in enumerate(findings))
    status = "Name recognition still running…" if pending else "All checks done."
    return f"""
<aside id="dhr-preview" aria-label="Preview and redaction gate findings">
<p class="dhr-note"><strong>Local preview.</strong> It shows the identifying text the
redaction gate found, so never share this page. {nav}
<a href="/{name}.pdf">PDF</a></p>
<h2>Redaction gate: {len(findings)} finding(s)</h2>
<p class="dhr-status" role="status">{status}</p>
<ol class="dhr-findings">{items}</ol>
</aside>
<style>
#dhr-preview {{ border: 3px solid #8a1538; padding: .5rem 1rem; margin: 2rem 0; }}
mark.dhr-finding {{ background: #ffe08a; color: #1b1b1b; outline: 2px solid #8a1538; }}
mark.dhr-finding:focus {{ outline: 3px solid #1d4f76; }}
</style>
"""


def _error_page(problems: list[str], version: int) -> str:
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    script = _SCRIPT.replace("__VERSION__", str(version)).replace("__FINDINGS__", "[]") \
        .replace("__POLL__", str(POLL_MS))
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Preview: the draft has errors</title>
</head><body><main><h1>The draft could not be rebuilt</h1>
<p>Fix the following and save; this page updates by itself.</p>
<ul class="dhr-errors">{items}</ul></main>{script}</body></html>"""


# Highlights each finding's text where it appears, polls for a new build, and reloads
# keeping the scroll position.
_SCRIPT = """
<script>
(function () {
  const version = __VERSION__;
  document.documentElement.dataset.previewVersion = String(version);
  const findings = __FINDINGS__;
  const main = document.querySelector("main") || document.body;
  findings.forEach(function (f, i) {
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const at = node.data.indexOf(f.text);
      if (at < 0 || node.parentElement.closest("mark, #dhr-preview")) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + f.text.length);
      const mark = document.createElement("mark");
      mark.className = "dhr-finding";
      mark.id = "dhr-finding-" + i;
      mark.tabIndex = 0;
      mark.title = f.rule + ": " + f.message;
      mark.setAttribute("aria-label", f.text + " (" + f.rule + ": " + f.message + ")");
      mark.dataset.rule = f.rule;
      range.surroundContents(mark);
      break;
    }
  });
  const key = "dhr-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) window.scrollTo(0, +saved);
  setInterval(function () {
    fetch("/version", {cache: "no-store"}).then(r => r.json()).then(function (v) {
      if (v.version !== version) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      }
    }).catch(function () {});
  }, __POLL__);
})();
</script>
"""


class _Handler(BaseHTTPRequestHandler):
    preview: Preview

    def log_message(self, format: str, *args) -> None:  # quiet: the chair's terminal
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if not self._host_ok():
            # DNS rebinding: a web page the chair visits may point its own host name at
            # 127.0.0.1 and read the preview; such a request names that host, not ours.
            return self._send(HTTPStatus.FORBIDDEN, "text/plain",
                              b"refused: unknown Host\n")
        path = unquote(urlparse(self.path).path)
        if ".." in path.split("/") or "\\" in path or "//" in path:
            return self._send(HTTPStatus.FORBIDDEN, "text/plain", b"refused\n")
        if path == "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/report.html")
            self.end_headers()
            return None
        if path == "/version":
            with self.preview.lock:
                body = json.dumps({"version": self.preview.state.version,
                                   "ner_pending": self.preview.state.ner_pending})
            return self._send(HTTPStatus.OK, "application/json", body.encode())
        name, _, suffix = path.lstrip("/").rpartition(".")
        if name in PAGES and suffix == "html":
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8",
                              self.preview.page(name).encode("utf-8"))
        if name in PAGES and suffix == "pdf":
            try:
                data = self.preview.pdf(name)
            except DhrError as exc:
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain",
                                  str(exc).encode())
            return self._send(HTTPStatus.OK, "application/pdf", data)
        return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n")

    def _host_ok(self) -> bool:
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        return host in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def serve(preview: Preview, port: int = 8000) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start the server (127.0.0.1 only) and the watcher; returns the server and the
    watcher thread. ``server.shutdown()`` stops both."""
    import errno

    handler = type("Handler", (_Handler,), {"preview": preview})
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} is already in use on 127.0.0.1; choose another "
                             "with --port") from None
        raise InputError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    preview.rebuild()
    stop = threading.Event()
    server.stop_event = stop  # type: ignore[attr-defined]
    watcher = threading.Thread(target=_watch, args=(preview, stop), daemon=True)
    watcher.start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    original_shutdown = server.shutdown

    def shutdown() -> None:
        stop.set()
        original_shutdown()
        server.server_close()

    server.shutdown = shutdown  # type: ignore[method-assign]
    return server, watcher


def _watch(preview: Preview, stop: threading.Event) -> None:
    from watchfiles import watch

    watched = [preview.case_dir] + ([preview.key_path] if preview.key_path else [])
    for _changes in watch(*watched, stop_event=stop, debounce=50, step=20,
                          rust_timeout=200, yield_on_timeout=False):
        preview.rebuild()
