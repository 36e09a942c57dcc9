"""Over-merge guards (issue 14 item 6): an organisation far larger than the case's usual is held
for the operator, with its size in the first words of the question."""

from __future__ import annotations

from tests.core.test_resolve_engine import row, run


def test_a_cluster_far_larger_than_usual_goes_to_review_with_its_size() -> None:
    rows = [row(f"big.xlsx#S!{i}", "Acme Aviation") for i in range(2, 16)]  # 14 rows, one name
    for i, brand in enumerate(["Kestrel", "Falcon", "Heron", "Ibis", "Crane", "Stork", "Egret", "Hornbill"]):
        rows += [row(f"a.xlsx#S!{i + 2}", f"{brand} Flight School"), row(f"b.xlsx#S!{i + 2}", f"{brand} Flight School")]
    result, clusters = run(rows)
    assert max(len(c) for c in clusters) <= 12  # max(8, 6 x the usual 2)
    held = [p for p in result.review if p.evidence.explanation.startswith("held back: ")]
    assert held and "14 rows, far more than the case's usual 2" in held[0].evidence.explanation
    assert result.guarded == 1
    # the operator approving a held pair puts it back
    approved, clusters = run(rows, decisions={p.pair_id: "approve" for p in held})
    assert any(len(c) == 14 for c in clusters)


def test_usual_cases_are_not_held() -> None:
    rows = [row("a.xlsx#S!2", "Acme Aviation"), row("b.xlsx#S!2", "ACME AVIATION (PTY) LTD"),
            row("c.xlsx#S!2", "Acme Aviation CC")]
    result, clusters = run(rows)
    assert len(clusters) == 1 and result.guarded == 0
