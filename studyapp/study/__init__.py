"""Studying: FSRS scheduling, the review queue, undo and statistics (no Qt)."""
