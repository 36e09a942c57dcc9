"""Why true pairs stay apart: every missed pair of the generated case by the stage that lost it.

Run on demand: `.venv/bin/python tests/bench/diagnose_resolve.py [rows] [--show N] [--seed N]`.
For each pair of row groups that the truth puts in one organisation and resolve kept apart, it
says whether blocking never brought them together, the bound dropped them, their score stayed
below the review band, they wait in the band, or they reached a match and the chaining checks
kept them apart; then the counts by stage and name verdict, and examples with their evidence and
the variants each side carries. Output names organisations of a generated case only.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_resolve import case_records  # noqa: E402


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=10_000)
    parser.add_argument("--show", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from core.resolve import resolve
    from core.resolve.blocking import candidate_pairs
    from core.resolve.groups import build_groups
    from core.resolve.keys import NameKeyer
    from core.resolve.prune import plausible_pairs
    from core.resolve.scoring import Scorer
    from core.resolve.shared import shared_values
    from core.resolve.vocabulary import case_vocabulary

    records, profile = case_records(args.rows, args.seed)
    settings = profile.resolution
    result = resolve(records, settings)
    groups, _ = build_groups(records, NameKeyer(settings), {d.lower() for d in settings.free_mail_domains})
    vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min)
    shared = shared_values(groups, settings, vocab)
    scorer = Scorer(settings, shared, vocab)
    candidates = candidate_pairs(groups, settings, shared)
    blocked = set(zip(candidates.a.tolist(), candidates.b.tolist()))
    left, right, *_ = plausible_pairs(candidates, groups, settings, shared, vocab)
    bounded = set(zip(list(left), list(right)))
    ids = records["record_id"].astype(str)
    truth = dict(zip(ids, records["_truth"]))
    variants = dict(zip(ids, records["_variants"]))
    cluster = dict(zip(ids, result.cluster_ids))
    members = defaultdict(list)
    for g in groups:
        members[truth[g.anchor]].append(g.idx)

    stages: Counter = Counter()
    by_level: Counter = Counter()
    examples = defaultdict(list)
    for idxs in members.values():
        for i, a in enumerate(idxs):
            for b in idxs[i + 1:]:
                ga, gb = groups[a], groups[b]
                if cluster[ga.anchor] == cluster[gb.anchor]:
                    continue
                scored = scorer.score(ga, gb)
                key = (min(a, b), max(a, b))
                stage = ("not blocked" if key not in blocked else "bound" if key not in bounded
                         else "below review" if scored.weight < settings.review_logit
                         else "review band" if scored.weight < settings.match_logit else "kept apart by chaining")
                weight = len(ga.record_ids) * len(gb.record_ids)  # row pairs, as pairwise recall counts them
                stages[stage] += weight
                by_level[(stage, scored.levels["name"])] += weight
                examples[stage].append((ga, gb, scored))
    print("missed row pairs by stage:", dict(stages.most_common()))
    print("by stage and name verdict:", ", ".join(f"{s}/{n} {c}" for (s, n), c in by_level.most_common(20)))
    rng = random.Random(1)
    for stage, found in examples.items():
        print(f"\n{stage}: {len(found)} pairs of groups")
        for ga, gb, s in rng.sample(found, min(args.show, len(found))):
            print(f"  {s.weight:+.2f} [{s.levels['name']}] {ga.names[0][0]!r} | {gb.names[0][0]!r}")
            print(f"        for: {'; '.join(s.reasons_for) or '-'}  against: {'; '.join(s.reasons_against) or '-'}")
            print(f"        variants: {variants[ga.anchor] or '-'} / {variants[gb.anchor] or '-'}")


if __name__ == "__main__":
    main(sys.argv[1:])
