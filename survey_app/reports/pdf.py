"""A4 PDF files of report pages, printed by headless Chromium from the app's own HTML.

The page is rendered by the app, written to a private temporary directory with its style
sheets inlined, and printed by Chromium from that file: no network, no server round trip.
Chromium honours the page's ``@page { size: A4 }``. Without Chromium (or when it fails) the
caller gets `PdfUnavailable`, a translated 503, never a 500.
"""

from __future__ import annotations

import logging
import subprocess  # nosec B404
import tempfile
import threading
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext

from survey_app.errors import SurveyAppError

log = logging.getLogger(__name__)

#: Flags that keep Chromium off the network and quiet (see TESTING.md).
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic", "--disable-dev-shm-usage", "--no-pdf-header-footer")
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: At most this many Chromium processes per app process; a request that waits longer than
#: `QUEUE_SECONDS` for one gets the 503 page instead of piling up browsers.
PRINTERS = threading.BoundedSemaphore(2)
QUEUE_SECONDS = 20.0


class PdfUnavailable(SurveyAppError):
    """The PDF cannot be made here (no Chromium, or it failed): 503 with a way around it."""

    status_code = 503
    code = "pdf_unavailable"
    default_message = lazy_gettext(
        "The PDF file cannot be made on this server right now. Open the report and use the "
        "browser's print command to save it as a PDF; the page is laid out for A4.")


def chromium_path() -> Path:
    """The Chromium the app prints with (``CHROMIUM_PATH`` in the configuration)."""
    return Path(current_app.config.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM)


def html_to_pdf(html: str, timeout: float = 60.0) -> bytes:
    """Print ``html`` (a whole document, style sheets inline) to an A4 PDF with Chromium."""
    chromium = chromium_path()
    if not chromium.is_file():
        raise PdfUnavailable()
    if not PRINTERS.acquire(timeout=QUEUE_SECONDS):
        raise PdfUnavailable()
    try:
        return _print(chromium, html, timeout)
    finally:
        PRINTERS.release()


def _print(chromium: Path, html: str, timeout: float) -> bytes:
    """One Chromium run in a private temporary directory."""
    with tempfile.TemporaryDirectory(prefix="survey-pdf-") as folder:
        source, target = Path(folder) / "page.html", Path(folder) / "page.pdf"
        source.write_text(html, encoding="utf-8")
        command = [str(chromium), *CHROMIUM_FLAGS, f"--user-data-dir={folder}/profile",
                   f"--print-to-pdf={target}", source.as_uri()]
        try:
            subprocess.run(command, timeout=timeout, capture_output=True,  # nosec B603
                           check=False, cwd=folder)
        except (OSError, subprocess.TimeoutExpired) as error:
            log.warning("chromium could not print a PDF: %s", type(error).__name__)
            raise PdfUnavailable() from None
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            log.warning("chromium printed no PDF")
            raise PdfUnavailable()
        return target.read_bytes()


def inline_styles(*names: str) -> str:
    """The contents of static style sheets, for a document printed from a file."""
    static = Path(current_app.static_folder)
    return "\n".join((static / name).read_text(encoding="utf-8") for name in names)
