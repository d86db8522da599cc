"""Claim matching: pair scores, pair guards, thresholds and grouping."""
