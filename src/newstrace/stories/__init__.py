"""Story clustering: which articles report the same real-world event.

``story_features`` turns one parsed article into ``StoryFeatures`` (pure, cheap, storable);
``StoryIndex`` places articles into stories as they arrive and ``consolidate`` repairs early
mistakes; ``cluster_stories`` is the batch form (the same index fed in time order, then
consolidated). See ``newstrace.stories.index`` for the similarity and the knobs.
``summarize_stories`` adds what the linked corpus knows: resolved entities, quotes, copies.
"""

from newstrace.model import Story
from newstrace.stories.features import StoryFeatures, story_features
from newstrace.stories.index import (
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    StoryIndex,
    cluster_stories,
    story_id,
)
from newstrace.stories.summary import summarize_stories

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_WINDOW_DAYS",
    "Story",
    "StoryFeatures",
    "StoryIndex",
    "cluster_stories",
    "story_features",
    "story_id",
    "summarize_stories",
]
