"""Step 7, Hand-off: the evidence bundle another team can verify, sign-off, and the evidence store."""
