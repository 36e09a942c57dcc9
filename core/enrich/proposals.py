"""What a strategy hands back, and how proposals become filled cells.

A proposal is one strategy's values for one Data column, indexed by Data row, computed for the whole
column at once. Applying it writes only where the cell is still empty, and records each cell filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Strategy -> confidence; a profile's `enrichment.confidence` overrides any of them.
CONFIDENCE = {
    "lookup-by-registration": 0.9,
    "lookup-by-name": 0.8,
    "primary-from-secondary": 0.9,
    "website-from-email": 0.7,
    "province-from-address": 0.8,
    "province-from-town": 0.75,
    "province-from-area-code": 0.6,
    "research-jsonld": 0.75,
    "research-links": 0.6,
}

FILL_COLUMNS = ["organization_slug", "field", "old_value", "new_value", "strategy", "source", "confidence"]


@dataclass
class Proposal:
    field: str
    strategy: str
    source: "str | pd.Series"  # one source for every value, or one per row
    confidence: "float | pd.Series"
    values: "pd.Series"  # Data row index -> value; rows without a value are absent


class Filler:
    """Applies proposals to Data in order; the first strategy to fill a cell wins it."""

    def __init__(self, data: "pd.DataFrame") -> None:
        self.data = data
        self.records: list[pd.DataFrame] = []

    def apply(self, proposal: Proposal) -> int:
        import pandas as pd

        if proposal.field not in self.data.columns or proposal.values.empty:
            return 0
        values = proposal.values[proposal.values.notna()]
        values = values[values.astype(str).str.strip() != ""]
        empty = self.data[proposal.field].reindex(values.index).isna()
        take = values.index[empty.to_numpy()]
        if len(take) == 0:
            return 0
        new = values.loc[take]
        self.data.loc[take, proposal.field] = new.to_numpy()
        self.records.append(pd.DataFrame({
            "row": take, "organization_slug": self.data.loc[take, "organization_slug"].to_numpy(),
            "field": proposal.field, "old_value": "", "new_value": new.astype(str).to_numpy(),
            "strategy": proposal.strategy, "source": _per_row(proposal.source, take),
            "confidence": _per_row(proposal.confidence, take),
        }))
        return len(take)

    def filled(self) -> "pd.DataFrame":
        import pandas as pd

        if not self.records:
            return pd.DataFrame(columns=["row", *FILL_COLUMNS])
        return pd.concat(self.records, ignore_index=True)


def _per_row(value, index):
    import pandas as pd

    if isinstance(value, pd.Series):
        return value.loc[index].to_numpy()
    return value


def confidence_of(strategy: str, overrides: dict[str, float]) -> float:
    return float(overrides.get(strategy, CONFIDENCE[strategy]))
