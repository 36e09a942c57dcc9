"""Entity resolution: rows that describe one organisation become one cluster (SPEC §4 step 6)."""

from core.resolve.engine import Resolution, resolve
from core.resolve.review import ReviewPair, pair_id
from core.resolve.scoring import PairEvidence
from core.resolve.settings import EvidenceWeights, ResolutionSettings

__all__ = ["EvidenceWeights", "PairEvidence", "Resolution", "ResolutionSettings", "ReviewPair", "pair_id", "resolve"]
