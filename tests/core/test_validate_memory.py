"""The GX worker lets go of each frame once it is validated (core/validate/worker.py): the source
sheets arrive while the parent resolves, and at 1M rows, held to the end of the run, they were
0.4 GB of the run's peak. What the operator gets from them, the verdict and the few failing rows,
is unchanged."""

from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest

pytest.importorskip("great_expectations")


def _request(tmp_path, frame: pd.DataFrame) -> dict:
    suite = {"name": "sheet-01-crm-xlsx-organisations", "meta": {}, "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "organization_name"}, "meta": {}}]}
    return {"suites": [suite], "frames": {suite["name"]: frame}, "docs_dir": str(tmp_path / "docs"),
            "run_name": "20261202T000000Z-test", "data_docs": False}


def test_a_validated_frame_is_let_go_and_its_failing_rows_kept(tmp_path) -> None:
    from core.validate.worker import Validation, _let_go

    frame = pd.DataFrame({"organization_name": ["Karoo Air", None, "Zulu Aero", None]}, index=[2, 3, 4, 5])
    gone = weakref.ref(frame)
    request = _request(tmp_path, frame)
    del frame
    validation = Validation(request)
    validation.run(request)
    _let_go(request)
    gc.collect()
    assert gone() is None, "the worker still holds the validated frame (GX's batch cache)"
    verdict = validation.verdict()
    (outcome,) = verdict["outcomes"]["sheet-01-crm-xlsx-organisations"]
    assert outcome["success"] is False
    assert outcome["failing"] == [(3, "(empty)"), (5, "(empty)")]  # the rows as the workbook shows them
