"""resolve(): rows in, one cluster number per row out, with the evidence for every merge and
every question left to the operator.

Stages: group hard-linked rows → count shared values → block → a cheap vectorised bound that
drops pairs that cannot reach the review band → score the rest → join clusters best link first.
Rows are sorted by record_id before anything order-sensitive, so file and row order never matter.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import Cancelled
from core.parallel import affordable_workers, run_shares, usable_workers
from core.runtime import collector_paused, give_back_memory
from core.resolve.blocking import candidate_pairs, name_ranks
from core.resolve.clusters import OWN_LINES, OWN_SITES, Clusters
from core.resolve.groups import build_groups
from core.resolve.guards import guard_clusters
from core.resolve.keys import NameKeyer
from core.resolve.learn import LearnedWeights, blocked_sample, learn_weights
from core.resolve.names import compare_names
from core.resolve.prune import Bounder, joined
from core.resolve.review import APPROVE, REJECT, ReviewPair, decided_pairs, one_per_cluster_pair, pair_id
from core.resolve.scoring import PairEvidence, Scored, Scorer, evidence
from core.resolve.settings import ResolutionSettings
from core.resolve.shared import shared_values
from core.resolve.verdict_helper import BlockVerdicts, VerdictHelper
from core.resolve.vocabulary import case_vocabulary, learn_kind_changes

PROGRESS_EVERY = 2000


@dataclass
class Resolution:
    cluster_ids: pd.Series  # on records.index: organisation numbers 0.. in order of smallest record_id
    merges: list[PairEvidence]
    review: list[ReviewPair]
    pairs_compared: int  # candidate pairs from blocking
    blocks: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase, in order
    pairs_scored: int = 0  # candidates scored in full: their bound, with their names compared, reached the band
    learned: LearnedWeights | None = None  # the case's own evidence weights, when it had enough pairs
    # Blocks too large for all pairs (what they share in words, members), largest first: each of
    # their members met only its nearest neighbours by name. For the run report.
    capped_blocks: list[tuple[str, int]] = field(default_factory=list)
    guarded: int = 0  # clusters held back for review as over-large or spanning provinces (item 6)


def resolve(records: pd.DataFrame, settings: ResolutionSettings | None = None,
            decisions: Mapping[str, str] | None = None, progress: Callable[[int, int], None] | None = None,
            cancel: threading.Event | None = None) -> Resolution:
    with collector_paused():
        return _resolve(records, settings, decisions, progress, cancel)


def _resolve(records: pd.DataFrame, settings: ResolutionSettings | None, decisions: Mapping[str, str] | None,
             progress: Callable[[int, int], None] | None, cancel: threading.Event | None) -> Resolution:
    started = time.perf_counter()
    settings = settings or ResolutionSettings()
    _check_input(records)
    check = _canceller(cancel)
    timings: dict[str, float] = {}
    lap = _stopwatch(timings)
    keyer = NameKeyer(settings)
    groups, group_of = build_groups(records, keyer, {d.lower() for d in settings.free_mail_domains})
    lap("groups")
    # Each phase's temporaries handed back before the next builds on top (at 1M rows 0.2-0.4 GB each
    # time, in milliseconds): else the peak stacks on pages the process no longer uses.
    give_back_memory()
    check()
    vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min, kind_changes=False)
    shared = shared_values(groups, settings, vocab)
    scorer = Scorer(settings, shared, vocab)
    lap("shared values")
    give_back_memory()
    # Blocking is mostly numpy sorts and gathers, which let go of the GIL; the kind changes are pure
    # Python that only the bound reads: side by side (at 1M rows 10.5 s rather than 13.2)
    with ThreadPoolExecutor(1, thread_name_prefix="hotpass-blocking") as pool:
        blocked_pairs = pool.submit(candidate_pairs, groups, settings, shared)
        learn_kind_changes(vocab, groups)
        candidates = blocked_pairs.result()
    lap("blocking")
    give_back_memory()
    check()
    # Only links at or above the review band can act; others scored later (the chaining checks
    # between members, the operator's decisions) are kept apart, so memory follows the links.
    links: dict[tuple[int, int], Scored] = {}
    others: dict[tuple[int, int], Scored] = {}

    def score(x: int, y: int) -> Scored:
        key = (x, y) if x < y else (y, x)
        found = links.get(key) or others.get(key)
        if found is None:
            found = others[key] = scorer.score(groups[key[0]], groups[key[1]])
        return found

    workers = usable_workers()  # each phase forks what memory affords at its start (core.parallel)
    left, right, rest = _plausible(candidates, groups, settings, shared, vocab, workers, progress, check)
    lap("bound")
    learning = settings.learn_weights
    # Past the bound, blocking's pairs only give learning its random sample and the report its counts.
    blocked = blocked_sample(candidates) if learning else None
    pairs_compared, blocks, capped = len(candidates), candidates.blocks, candidates.capped
    name_rank = candidates.name_rank  # clustering orders tied links by it
    del candidates
    give_back_memory()
    # Learning also keeps the pairs its weights may lift into the band: those within the clamp of it.
    floor = settings.review_logit - settings.learn_clamp if learning else settings.review_logit
    kept: dict = {}  # each distinct part of the links kept (_kept): at 1M rows they are 600k
    found, scored_in_full, forked = _score_plausible(left, right, rest, groups, scorer, settings, vocab, floor,
                                                     workers, kept, progress, check)
    del left, right, rest
    for share in found:  # in order; a forked copy's links are its own objects until kept here
        for a, b, scored in share:
            links[(a, b)] = _kept(scored, kept) if forked else scored
    del found
    if progress:
        progress(_STEPS, _STEPS)
    lap("scoring")
    # u from a random sample of all of blocking's pairs, scored with the profile's weights
    learned = learn_weights(list(links.values()), settings, blocked,
                            lambda x, y: scorer.score(groups[x], groups[y]))
    if learned is not None:
        scorer.learned = learned
        for scored in links.values():
            learned.apply(scored)
            _kept(scored, kept)
    del kept, blocked
    give_back_memory()
    lap("learning")

    clusters = Clusters(groups, score, settings.match_logit, settings.max_cluster_checks, shared)
    decided = decided_pairs(decisions, groups)
    merges, queue, joined = _cluster(groups, clusters, links, decided, score, settings, name_rank)
    override, held = guard_clusters(groups, joined, clusters.find, shared, settings)

    def root(g: int) -> int:
        return override.get(g, clusters.find(g))

    if held:
        gone = {(h.a, h.b) for h in held}
        merges = [m for m, link in zip(merges, joined) if (link[1], link[2]) not in gone]
    # Two organisations the operator kept apart are not asked about again through their other rows.
    review = [ReviewPair(pair_id(groups[h.a].anchor, groups[h.b].anchor), _headlined(
        evidence(groups[h.a], groups[h.b], score(h.a, h.b)), h.headline)) for h in held]
    review += one_per_cluster_pair([q for q in queue if not clusters.rejected_between(q[1], q[2])], root)
    review += [ReviewPair(pair_id(groups[a].anchor, groups[b].anchor), evidence(groups[a], groups[b], score(a, b)),
                          decision) for (a, b), decision in sorted(decided.items())]
    cluster_ids = _cluster_ids(records, groups, group_of, root)
    lap("clustering")
    return Resolution(cluster_ids, merges, review, pairs_compared, blocks,
                      time.perf_counter() - started, timings, scored_in_full, learned, capped,
                      len({clusters.find(h.a) for h in held}))


# What a forked copy of resolve comes to own, as a share of this process's resident memory: the pages
# of the groups it reads, its name verdicts and its links (1M rows: 1.6 GB of 3.5 in the bound, 2.1
# in scoring; 100k rows: ~0.3). Not fewer when a copy takes the later half of the pairs rather than
# every other share: the names' strings and the vocabulary it reads lie all over the heap (1M rows:
# the same 4.6 GB for the parent and one copy either way)
COPY_SHARE = 0.6
# What a name verdict helper (core.resolve.verdict_helper) comes to hold, as a share of this process's
# resident memory: the keys it is sent, the vocabulary and its caches (1M rows: 564 MB beside 2.9 GB).
# Below HELPER_FROM_PAIRS plausible pairs its start and its pipes cost more than it saves.
HELPER_SHARE = 0.2
HELPER_FROM_PAIRS = 20_000
_SHARES_PER_WORKER = 8  # so that the processes finish close together: shares differ in cost
_STEPS = 1000  # resolve's progress, in thousandths: the bound the first half, scoring the second


def _plausible(candidates, groups, settings: ResolutionSettings, shared, vocab, workers: int, progress, check):
    """The candidate pairs whose bound reaches the review band (group arrays a, b and their bound
    without the names), bounded in shares over `workers` processes (core.parallel)."""
    workers = affordable_workers(workers, COPY_SHARE)
    size = max(1 << 14, -(-len(candidates) // (workers * _SHARES_PER_WORKER)))
    bounder = Bounder(candidates, groups, settings, shared, vocab, chunk=size)
    step = max(1, min(workers, bounder.chunks))  # each process bounds chunks i, i + step, ... (run_shares)

    def plausible(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        check()
        return bounder.plausible(i, following=i + step)

    try:
        return joined(run_shares(plausible, bounder.chunks, workers, _share_progress(progress, bounder.chunks, 0),
                                 check))
    finally:
        bounder.close()


def _score_plausible(left, right, rest, groups, scorer: Scorer, settings: ResolutionSettings, vocab, floor: float,
                     workers: int, kept: dict, progress, check) -> tuple[list[list[tuple[int, int, Scored]]], int, bool]:
    """Every plausible pair's names compared and, where that leaves it within reach, the pair scored
    in full: per share, the links at or above `floor` in order; how many pairs were scored in full;
    and whether copies were forked (their links are not yet `kept` here). Where no copy fits in memory
    but a verdict helper does, the names are compared beside this process, a block ahead."""
    total = len(left)
    wanted, workers = workers, affordable_workers(workers, COPY_SHARE)
    shares = max(1, min(workers * _SHARES_PER_WORKER, -(-total // PROGRESS_EVERY)))
    size = -(-total // shares) if total else 0
    steps = [[(start, min(start + PROGRESS_EVERY, (i + 1) * size, total))  # memory stays flat
              for start in range(i * size, min(total, (i + 1) * size), PROGRESS_EVERY)] for i in range(shares)]
    first_step = np.cumsum([0] + [len(s) for s in steps]).tolist()
    # No copy fits, but a helper working out name verdicts does (core.resolve.verdict_helper)
    helper = VerdictHelper(settings, vocab) if workers == 1 and wanted > 1 and total >= HELPER_FROM_PAIRS \
        and affordable_workers(2, HELPER_SHARE) == 2 else None
    ahead = None

    def score_share(i: int) -> tuple[list[tuple[int, int, Scored]], int]:
        found, scored_in_full = [], 0
        for n, (start, done) in enumerate(steps[i]):
            check()
            if ahead:
                base, verdicts = ahead.verdicts(first_step[i] + n, check)
                ready = verdicts[start - base:done - base].tolist()
            else:
                ready = [None] * (done - start)
            for a, b, bound, names in zip(left[start:done].tolist(), right[start:done].tolist(),
                                          rest[start:done].tolist(), ready):
                # The name verdict is most of a pair's cost and is handed to the full score: with it the
                # bound is exact but for the identifiers' and conflicts' parts. Not memo'd: a pair of
                # spellings recurs in ~5 % of pairs, and ~1M verdicts at 1M rows outlived scoring in memory.
                if names is None:
                    names = compare_names(groups[a].names, groups[b].names, settings, vocab, remember=False)
                if bound + names.weight >= floor:
                    scored = scorer.score(groups[a], groups[b], names)
                    scored_in_full += 1
                    if scored.weight >= floor:
                        found.append((a, b, _kept(scored, kept)))
        return found, scored_in_full

    try:
        if helper and helper.alive:
            ahead = BlockVerdicts(helper, [s for share in steps for s in share], left, right, groups, settings, vocab)
        results = run_shares(score_share, shares, workers, _share_progress(progress, shares, _STEPS // 2), check)
    finally:
        if helper:
            helper.close()
    return [found for found, _ in results], sum(n for _, n in results), min(workers, shares) > 1


def _share_progress(progress, shares: int, offset: int):
    if progress is None:
        return None
    return lambda done: progress(offset + done * (_STEPS // 2) // max(1, shares), _STEPS)


def _kept(scored: Scored, kept: dict) -> Scored:
    """The link as it is kept until clustering: its levels, contributions and reasons (as tuples) the very objects
    of every equal link's (`kept`: each part -> its one object). A kept link is read, never changed in
    place (learning gives it new contributions), so they can be shared: at 1M rows ~600k links of
    ~1 kB, of which some 560 sets of levels, a few hundred of contributions, many repeated reasons."""
    levels = scored.levels
    scored.levels = kept.setdefault(("levels", *levels.items()), levels)
    contributions = scored.contributions
    # by value and type, and a zero by its sign, so that the object kept is the one the link had
    key = ("contributions", *((k, type(v), v, math.copysign(1.0, v)) for k, v in contributions.items()))
    scored.contributions = kept.setdefault(key, contributions)
    # read only from here on, as tuples: most links have no reason against, and () is one object
    scored.reasons_for = tuple(kept.setdefault(reason, reason) for reason in scored.reasons_for)
    scored.reasons_against = tuple(kept.setdefault(reason, reason) for reason in scored.reasons_against)
    return scored


def _cluster(groups, clusters: Clusters, cache, decided, score, settings, name_rank=None):
    """Decisions first (rejects forbid, approvals force), then links best first."""
    merges: list[PairEvidence] = []
    joined: list[tuple[float, int, int, bool]] = []  # beside each merge: (weight, a, b, approved by the operator)
    for (a, b), decision in sorted(decided.items()):
        if decision == REJECT:
            clusters.forbid(a, b)
    for (a, b), decision in sorted(decided.items()):
        if decision == APPROVE and clusters.force(a, b):
            merges.append(evidence(groups[a], groups[b], score(a, b), ["approved by the operator"]))
            joined.append((score(a, b).weight, a, b, True))
    queue = []
    # Equal links are taken in the order of what the rows say, not of their record ids: when B is
    # as like A as like C, which of them B joins must not change when a sheet's rows are re-sorted.
    review_logit, match_logit = settings.review_logit, settings.match_logit
    band = [(s.weight, a, b) for (a, b), s in cache.items() if s.weight >= review_logit and (a, b) not in decided]
    for weight, a, b in _best_first(groups, band, name_rank):
        scored, extra = cache[(a, b)], None
        if weight < match_logit:
            if clusters.own_values_differ(a, b, OWN_SITES):
                continue  # each organisation lists its own website or email domain: not a question
            if not _corroborated(clusters, a, b, scored):
                queue.append((weight, a, b, evidence(groups[a], groups[b], scored)))
                continue
            extra = [CORROBORATED]
        elif _names_only(scored) and clusters.own_values_differ(a, b, _told_apart_by(scored)):
            continue  # one name, two organisations: each lists its own website, mail domain or line
        outcome = clusters.try_join(a, b)
        if outcome is True:
            merges.append(evidence(groups[a], groups[b], scored, extra))
            joined.append((weight, a, b, False))
        elif isinstance(outcome, tuple):
            x, y = outcome
            if score(x, y).levels.get("province") == "conflict" and scored.levels.get("name") != "equal":
                continue  # names alike, and two provinces in one organisation: kept apart without asking
            why = "; ".join(score(x, y).reasons_against) or "their names differ"
            note = (f"kept apart: joining would also put '{_name(groups[x])}' with '{_name(groups[y])}', "
                    f"and {why}")
            queue.append((weight, a, b, evidence(groups[a], groups[b], scored, extra_against=[note])))
    return merges, queue, joined


CORROBORATED = "nothing the two organisations list contradicts it (their own websites, email domains and phones)"


def _corroborated(clusters: Clusters, a: int, b: int, scored: Scored) -> bool:
    """A kind change the case confirms ('Flight School' / 'Flight Training Centre'), with nothing
    against the pair, merges when the two organisations, all their rows taken together, list no own
    website, email domain or phone that differs. Twins of one brand each have their own line; one
    organisation's row without a phone is checked against the phones of its other rows."""
    return scored.kind_confirmed and not scored.reasons_against and not clusters.own_values_differ(a, b)


def _told_apart_by(scored: Scored) -> tuple[str, ...]:
    """Names spelt alike ('Kondomago' / 'Kondomgao') are told apart by their own lines too: in a case
    of many organisations that is where two brands of like syllables meet. One name written the same
    is not: an organisation lists several numbers."""
    return OWN_LINES if scored.levels.get("name") == "near" else OWN_SITES


def _names_only(scored: Scored) -> bool:
    """A link the names make on their own: no own website, email or phone of the two rows agrees
    (a directory or switchboard they both list is weak evidence, and does not count here)."""
    return not any(scored.levels.get(family) == "strong" for family in ("web", "mail", "phone"))


def _headlined(ev: PairEvidence, headline: str) -> PairEvidence:
    """The guard's reason first, so the queue's headline says how large the organisation would be."""
    ev.reasons_against.insert(0, headline)
    ev.explanation = f"{headline}; {ev.explanation}"
    return ev


def _cluster_ids(records: pd.DataFrame, groups, group_of: list[int], root: Callable[[int], int]) -> pd.Series:
    ids = records["record_id"].astype(str).to_numpy()
    order = np.argsort(ids, kind="stable")  # group_of is in record_id order
    roots_of_group = np.fromiter((root(g) for g in range(len(groups))), dtype=np.int64, count=len(groups))
    roots = np.empty(len(ids), dtype=np.int64)
    roots[order] = roots_of_group[np.asarray(group_of, dtype=np.int64)]
    # Numbered in order of each cluster's smallest record_id: its first row in record_id order.
    first_seen = pd.unique(roots[order])
    number = np.empty(int(roots.max()) + 1 if len(roots) else 0, dtype=np.int64)
    number[first_seen] = np.arange(len(first_seen))
    return pd.Series(number[roots], index=records.index, dtype="int64", name="cluster_id")


def _best_first(groups, band: list[tuple[float, int, int]],
                name_rank: np.ndarray | None = None) -> list[tuple[float, int, int]]:
    """`band` sorted by weight (rounded), then the pair's two contents (smaller first), then a, b.
    `name_rank`: blocking.name_ranks(groups), made here when blocking has not made it."""
    if not band:
        return []
    a = np.fromiter((item[1] for item in band), dtype=np.int64, count=len(band))
    b = np.fromiter((item[2] for item in band), dtype=np.int64, count=len(band))
    weight = np.fromiter((-round(item[0], 9) for item in band), dtype=np.float64, count=len(band))
    members, at = np.unique(np.concatenate([a, b]), return_inverse=True)
    rank = _content_ranks(groups, members, name_rank)[at]
    first, second = np.minimum(rank[:len(band)], rank[len(band):]), np.maximum(rank[:len(band)], rank[len(band):])
    order = np.lexsort((b, a, second, first, weight))
    return [band[i] for i in order.tolist()]


def _content_ranks(groups, members: np.ndarray, name_rank: np.ndarray | None = None) -> np.ndarray:
    """Each group's place in the order of `_content` (equal contents, equal places), without building
    the whole content of groups whose name alone already orders them. The names' order is blocking's
    (`name_rank`, over all groups): only the members' order among them counts."""
    if name_rank is None:
        name_rank = name_ranks(groups)
    by_name = np.unique(name_rank[members], return_inverse=True)[1].reshape(-1)
    counts = np.bincount(by_name)
    within = np.zeros(len(members), dtype=np.int64)
    tied = np.flatnonzero(counts[by_name] > 1)
    if len(tied):
        contents = [(int(by_name[i]), _content(groups[int(members[i])])) for i in tied.tolist()]
        order = sorted(range(len(tied)), key=contents.__getitem__)
        place, previous = 0, None
        for i in order:
            if previous is not None and contents[i] != previous:
                place += 1
            within[tied[i]], previous = place, contents[i]
    _, ranks = np.unique(by_name * (int(within.max()) + 1) + within, return_inverse=True)
    return ranks.astype(np.int64)


def _content(group) -> tuple:
    """What a group's rows say, without their record ids."""
    return (group.primary.compact if group.primary else "", tuple(sorted(raw for raw, _ in group.names)),
            tuple(sorted(group.provinces)), tuple(sorted(group.area_text)),
            tuple(tuple(sorted(group.values[kind])) for kind in sorted(group.values)))


def _name(group) -> str:
    return group.names[0][0] if group.names else group.anchor


def _stopwatch(timings: dict[str, float]) -> Callable[[str], None]:
    last = [time.perf_counter()]

    def lap(phase: str) -> None:
        now = time.perf_counter()
        timings[phase] = round(now - last[0], 3)
        last[0] = now
    return lap


def _check_input(records: pd.DataFrame) -> None:
    if "record_id" not in records or "organization_name" not in records:
        raise ValueError("records need the columns record_id and organization_name")
    if records["record_id"].astype(str).duplicated().any():
        raise ValueError("record_id must be unique")


def _canceller(cancel: threading.Event | None) -> Callable[[], None]:
    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled("cancelled during entity resolution", hint="nothing was written")
    return check
