"""The dataset format: model, dates, sentences, loader and validation (no Qt)."""
