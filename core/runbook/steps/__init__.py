"""One module per runbook step: `run(ctx, options)` and what it needs (see core.runbook.registry)."""
