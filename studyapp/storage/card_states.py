"""A card's scheduling states and the tag Anki's * key toggles, as stored: written once here,
without SQLAlchemy, for the models, the card rules and the first screen's reads."""

from __future__ import annotations

# Card states: 0 is ours (never reviewed); 1-3 are fsrs.State values.
STATE_NEW = 0
STATE_LEARNING = 1
STATE_REVIEW = 2
STATE_RELEARNING = 3
MARKED = "marked"  # the tag Anki's * key toggles
