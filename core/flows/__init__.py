"""Ways to run the runbook's steps on an engine other than this process (Prefect, behind an extra)."""
