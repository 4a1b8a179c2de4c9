"""Learned sequential next-item models (torch), trained and evaluated under the published
leave-one-out, full-ranking protocol."""
