"""WeasyPrint in a child process with a time budget, so a document that cannot be made in time
costs its request an error page, never a worker held for minutes.

This module imports nothing of Django's: the child is forked from a ``forkserver`` process
that has WeasyPrint loaded (and no database connection, no threads), and runs only
``_render``. The parent waits at most ``seconds`` for the PDF, then kills the child."""

import multiprocessing
import time


class RenderTimedOut(Exception):
    pass


class RenderFailed(Exception):
    pass


_context = None


def _forkserver():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        # Loaded once, in the fork server: each render's child starts with WeasyPrint imported.
        _context.set_forkserver_preload(["weasyprint", __name__])
    return _context


def _refuse_fetch(url, *args, **kwargs):
    # Documents are self-contained: nothing in one may make the server fetch a URL.
    raise ValueError(f"Documents fetch nothing: refused {url}")


def _render(html: str, options: dict, connection) -> None:
    try:
        from weasyprint import HTML

        connection.send(("pdf", HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(**options)))
    except BaseException as error:  # reported to the parent, which raises it there
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def render_within(html: str, options: dict, *, seconds: float) -> tuple[bytes, float]:
    """The PDF of ``html`` and how long it took, or ``RenderTimedOut`` after ``seconds`` (the
    child killed), or ``RenderFailed`` if WeasyPrint failed."""
    context = _forkserver()
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_render, args=(html, options, sending), daemon=True)
    started = time.monotonic()
    child.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            raise RenderTimedOut(f"no PDF after {seconds:g} seconds")
        try:
            kind, payload = receiving.recv()
        except EOFError:
            raise RenderFailed(f"the renderer stopped (exit code {child.exitcode})") from None
    finally:
        receiving.close()
        child.join(timeout=5)  # a child that sent its PDF is exiting; one still rendering is not
        if child.is_alive():
            child.kill()
            child.join()
    if kind == "error":
        raise RenderFailed(payload)
    return payload, time.monotonic() - started
