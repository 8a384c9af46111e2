"""newstrace: who said what, about which story, and who copied whom."""

import logging

from newstrace.model import Analysis, Article, InputFailure, Mention, Removal

__version__ = "0.1.0"
__all__ = ["Analysis", "Article", "InputFailure", "Mention", "Removal", "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
