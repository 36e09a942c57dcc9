"""The four gates network research must pass. All four open, or no request leaves the machine."""

from __future__ import annotations

from dataclasses import dataclass

from core.workspace import NetworkSettings


@dataclass(frozen=True)
class Gate:
    name: str  # how an operator names it
    open: bool
    closed_because: str  # one line: what is closed and how to open it

    def facts(self) -> dict:
        return {"name": self.name, "open": self.open, "closed_because": "" if self.open else self.closed_because}


def network_gates(allow_network: bool, network: NetworkSettings, approved: bool) -> list[Gate]:
    return [
        Gate("--allow-network", allow_network, "--allow-network=false: pass --allow-network=true"),
        Gate("FEATURE_ENABLE_REMOTE_RESEARCH", network.remote_research_feature,
             "FEATURE_ENABLE_REMOTE_RESEARCH is not 1: the feature is off on this machine"),
        Gate("ALLOW_NETWORK_RESEARCH", network.remote_research_allowed,
             "ALLOW_NETWORK_RESEARCH is not 1: research is not allowed on this machine"),
        Gate("enrichment approval", approved,
             "no enrichment approval for the case: compliance records it (`hotpass ledger approve enrichment CASE`)"),
    ]


def environment_open(gates: list[Gate]) -> bool:
    """The three gates that are not the approval: only then is the approval asked for."""
    return all(g.open for g in gates if g.name != "enrichment approval")


def closed_status(gates: list[Gate]) -> str:
    """What each row's provenance_network_status says when research did not run."""
    closed = [g.name for g in gates if not g.open]
    return "closed: " + ", ".join(closed) if closed else ""
