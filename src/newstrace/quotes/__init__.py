"""Quote extraction and speaker attribution: who said what, per article.

``extract_quotes(article_id, doc)`` reads one spaCy parse and returns ``Quote`` records
(direct, indirect and mixed) with speaker, role, cue and confidence; cross-article
clustering fills ``Quote.cluster`` later.
"""

from newstrace.quotes.extract import extract_quotes

__all__ = ["extract_quotes"]
