"""The runbook: its steps, and the one path that runs and records each of them for every face.

A face (the `hotpass` commands, the Textual UI, `hotpass --batch`) builds a StepContext and calls
`run_step`; the step checks its approvals, does its work, and the runner records the run in the
ledger and hands back a StepResult. No face records a run or checks an approval itself.
"""
