"""Worker processes for work that needs a heavy library, beside the calling process.

Takes jobs (a plain function and plain arguments, pickled) in named lanes, one worker
process each (the register's ``pdf`` for WeasyPrint and ``other`` for matplotlib and
XlsxWriter; the gate's ``ner`` for the language model); gives each job's result, or
raises its exception, when asked. Loading the library often takes longer than using it,
so a lane can be ``warm``ed (its library imported) as soon as a caller knows it will be
needed, while this process goes on with other work on the other core. A worker is
``python -m pipeline.common.workers`` on two pipes of its own, not multiprocessing: its
spawn and forkserver run the caller's main script again in the worker (a script without
a ``__main__`` guard would build the register twice at once), and fork would copy an
open database and numpy's threads. A worker is a child that is waited for, so its peak
memory is counted (``make bench``). With one core, or DHR_SERIAL set, or a worker that
will not start, each job runs here when its result is asked for.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import subprocess
import sys
import threading
from collections import deque


def _load(module: str) -> None:
    importlib.import_module(module)


class Workers:
    def __init__(self) -> None:
        self.parallel = (os.cpu_count() or 1) >= 2 and not os.environ.get("DHR_SERIAL")
        self.lanes: dict[str, _Lane] = {}

    def warm(self, lane: str, module: str) -> None:
        if self.parallel:
            self._lane(lane).send(_load, (module,))

    def run(self, lane: str, fn, *args) -> Job:
        return self._lane(lane).send(fn, args) if self.parallel else Job(None, fn, args)

    def close(self) -> None:
        """Let each worker finish what it was given (a warmed one its import) and go."""
        for lane in self.lanes.values():
            lane.close()

    def stop(self) -> None:
        """End every worker now, whatever it is doing: at exit, when no one will ask for
        an answer (a model still loading for a check that never came)."""
        for lane in self.lanes.values():
            lane.stop()

    def _lane(self, name: str) -> _Lane:
        if name not in self.lanes:
            self.lanes[name] = _Lane()
        return self.lanes[name]


class Job:
    def __init__(self, lane: _Lane | None, fn, args: tuple) -> None:
        self.lane, self.fn, self.args = lane, fn, args
        self.done, self.ok, self.value = False, False, None

    def get(self):
        if self.lane is not None:
            self.lane.wait(self)
        if not self.done:  # no worker: here, now
            return self.fn(*self.args)
        if not self.ok:
            raise self.value
        return self.value


class _Lane:
    """One worker: requests are written by a thread (a big one must not hold the build
    up while the worker is busy), answers read in order when a result is wanted."""

    def __init__(self) -> None:
        self.pending: deque[Job] = deque()
        self.proc = None
        request_r, self.request_w = os.pipe()
        self.answer_r, answer_w = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline.common.workers", str(request_r),
                 str(answer_w)], pass_fds=(request_r, answer_w), env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        except OSError:
            os.close(self.request_w)
            os.close(self.answer_r)
        finally:
            os.close(request_r)
            os.close(answer_w)
        self.writer: threading.Thread | None = None
        self.outbox: deque[bytes] = deque()

    def send(self, fn, args: tuple) -> Job:
        job = Job(self if self.proc else None, fn, args)
        if self.proc is None:
            return job
        self.pending.append(job)
        self.outbox.append(pickle.dumps((fn, args), pickle.HIGHEST_PROTOCOL))
        if self.writer is None or not self.writer.is_alive():
            self.writer = threading.Thread(target=self._write, daemon=True)
            self.writer.start()
        return job

    def _write(self) -> None:
        try:
            while self.outbox:
                data = self.outbox.popleft()
                os.write(self.request_w, len(data).to_bytes(8, "big"))
                view = memoryview(data)
                while view:
                    view = view[os.write(self.request_w, view):]
        except OSError:
            pass  # the worker went: its jobs are run here (``wait``)

    def wait(self, job: Job) -> None:
        while not job.done and self.pending:
            head = self.pending.popleft()
            answer = _read(self.answer_r)
            if answer is None:  # the worker died: this and the rest run here
                self.pending.clear()
                return
            head.ok, head.value = pickle.loads(answer)
            head.done = True

    def close(self) -> None:
        if self.proc is None:
            return
        if self.writer is not None:
            self.writer.join()
        os.close(self.request_w)  # end of requests: the worker finishes and exits
        self.proc.wait()
        os.close(self.answer_r)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait()
        for fd in (self.request_w, self.answer_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.proc = None


def _read(fd: int) -> bytes | None:
    head = _exactly(fd, 8)
    return None if head is None else _exactly(fd, int.from_bytes(head, "big"))


def _exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _serve(requests: int, answers: int) -> None:
    while (request := _read(requests)) is not None:
        try:
            fn, args = pickle.loads(request)
            answer = (True, fn(*args))
        except Exception as error:  # handed back, raised where the result is asked for
            answer = (False, error)
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception:
            data = pickle.dumps((False, RuntimeError(repr(answer[1]))))
        os.write(answers, len(data).to_bytes(8, "big"))
        view = memoryview(data)
        while view:
            view = view[os.write(answers, view):]


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]))
    # Every answer is written (unbuffered): tearing down WeasyPrint's or matplotlib's
    # modules would only keep the build waiting.
    sys.stderr.flush()
    os._exit(0)
