"""Rebuild the non-UTF-8 and compressed ingest fixtures (run: python tests/build_ingest_fixtures.py).

They are committed as bytes; this script says exactly what those bytes are. All text is fictional.
"""

from __future__ import annotations

import gzip
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

CP1252_TEXT = (
    "Title: Café owners of Brésilly vow to stay open\n"
    "Outlet: Brésilly Écho\n"
    "\n"
    "“We won’t close, not after forty years,” said Zoë Lefèvre-Dûrand, who runs the Café "
    "Müller on Rue Saint-Anselme with her brother Anaël.\n"
    "\n"
    "The town’s rent increase — nearly 30 % — takes effect in March.\n"
)
UTF16_TEXT = (
    "Title: Señora Añorga opens the Vallfría market\n"
    "\n"
    "“Fresh bread every morning,” promised Señora Inés Añorga as the Vallfría market opened "
    "its doors on Saturday.\n"
)
GZ_PAGE = """<html><head><title>Ferry timetable changes in Tollis</title></head><body>
<article><h1>Ferry timetable changes in Tollis</h1>
<p>The island ferry to Tollis will run twice a day from May, the harbour board said on Friday.</p>
<p>"Islanders asked for an evening boat and they will have one," said board member Ines Karl.</p>
<p>The first evening crossing leaves the mainland at seven o'clock.</p>
</article></body></html>
"""


def build() -> None:
    (FIXTURES / "cp1252.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    (FIXTURES / "utf16.txt").write_bytes(UTF16_TEXT.encode("utf-16"))  # with a BOM
    (FIXTURES / "ferry.html.gz").write_bytes(gzip.compress(GZ_PAGE.encode("utf-8"), mtime=0))


if __name__ == "__main__":
    build()
