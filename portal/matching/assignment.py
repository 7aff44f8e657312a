"""The batch proposal: every waiting client to at most one slot, best total, exactly.

The problem is a transportation problem: clients supply one person each, slots
take up to their free seats, a pair is allowed only when it breaks no hard rule,
and a placed pair is worth ``PLACEMENT_VALUE + score``. The constant makes
placing a client worth a full score, so the proposal does not leave a client out
to give another a slightly better fit; among proposals that place as many, it
prefers the higher total score.

Why it is exact and fast. The constraint matrix is that of a bipartite
b-matching, totally unimodular, so the linear programme has an integral optimal
vertex, which HiGHS's dual simplex returns (``scipy.optimize.linprog``), with
the dual prices. The full programme has millions of allowed pairs, so each
client first keeps only its best ``k`` candidates. The restricted optimum is
optimal for the full programme when, for each client, either

* its price ``u_i`` is at least the weight of its best dropped candidate (then
  every dropped pair has a non-positive reduced cost, as slot prices are
  non-negative: LP duality), or
* its kept candidates have, together, at least as many free seats as there are
  clients (then in any optimum he could be moved to a free kept seat at no loss,
  so dropping the rest loses nothing).

Clients meeting neither have ``k`` doubled and the programme is solved again.
Measured figures are in ``bench/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from portal.matching.profiles import ClientProfile, Thresholds
from portal.matching.ranking import SlotTable, eligible_slots

PLACEMENT_VALUE = 100.0  # points for placing a client at all (scores are 0-100)
SCALE = 100  # scores carry two decimals; the solver works on integers
INITIAL_K = 16

NO_ELIGIBLE = "Tidak ada slot yang memenuhi semua aturan penempatan untuk klien ini."
LOST_COMPETITION = (
    "Slot yang cocok sudah terisi oleh klien lain dalam usulan ini; coba lagi setelah "
    "penempatan lain diputuskan."
)


@dataclass
class Solution:
    """The chosen column (or -1) per row, and how the solver got there."""

    choice: np.ndarray
    objective: int
    rounds: int = 0
    kept_pairs: int = 0
    stats: dict[str, float] = field(default_factory=dict)


def weight_of(score: float) -> int:
    """The integer weight of a placed pair with this score."""
    return int(round((PLACEMENT_VALUE + score) * SCALE))


def solve(
    columns: Sequence[np.ndarray],
    weights: Sequence[np.ndarray],
    capacity: np.ndarray,
    initial_k: int = INITIAL_K,
) -> Solution:
    """Maximise the total weight; ``columns[i]``/``weights[i]`` list row i's allowed pairs.

    Each row's pairs must be sorted by weight, best first; weights must be positive.
    """
    n = len(columns)
    choice = np.full(n, -1, dtype=np.int64)
    lengths = np.array([len(c) for c in columns], dtype=np.int64)
    if n == 0 or lengths.sum() == 0:
        return Solution(choice, 0)
    # Beyond this many candidates a row is certified by the free-seats argument.
    enough = np.empty(n, dtype=np.int64)
    for i, cols in enumerate(columns):
        seats = np.cumsum(capacity[cols]) if len(cols) else np.zeros(0)
        enough[i] = min(len(cols), int(np.searchsorted(seats, n)) + 1)
    keep = np.minimum(np.minimum(lengths, initial_k), enough)
    rounds = 0
    while True:
        rounds += 1
        rows = np.repeat(np.arange(n), keep)
        cols = np.concatenate([columns[i][: keep[i]] for i in range(n)])
        w = np.concatenate([weights[i][: keep[i]] for i in range(n)]).astype(np.float64)
        used, slot_row = np.unique(cols, return_inverse=True)
        m = used.size
        nv = rows.size
        ones = np.ones(nv)
        var = np.arange(nv)
        a = sp.vstack(
            [
                sp.csr_matrix((ones, (rows, var)), shape=(n, nv)),
                sp.csr_matrix((ones, (slot_row, var)), shape=(m, nv)),
            ]
        ).tocsr()
        b = np.concatenate([np.ones(n), capacity[used].astype(np.float64)])
        result = linprog(-w, A_ub=a, b_ub=b, bounds=(0, None), method="highs-ds")
        if result.status != 0:  # pragma: no cover - a bounded feasible LP always solves
            raise RuntimeError(f"Penyelesai penugasan gagal: {result.message}")
        x = result.x
        if np.abs(x - np.round(x)).max() > 1e-6:  # pragma: no cover - total unimodularity
            raise RuntimeError("Penyelesai penugasan memberi solusi pecahan.")
        u = -result.ineqlin.marginals[:n]
        short = np.flatnonzero((keep < lengths) & (keep < enough))
        failing = [
            i for i in short if u[i] < weights[i][keep[i]] - 1e-6 * max(1.0, weights[i][keep[i]])
        ]
        if not failing:
            chosen = np.flatnonzero(np.round(x) == 1)
            choice[rows[chosen]] = cols[chosen]
            return Solution(choice, int(round(w[chosen].sum())), rounds, int(nv))
        for i in failing:
            keep[i] = min(lengths[i], enough[i], max(2 * keep[i], 1))


def greedy(
    columns: Sequence[np.ndarray], weights: Sequence[np.ndarray], capacity: np.ndarray
) -> Solution:
    """Best pair first while seats last: the baseline the exact method must match or beat."""
    pairs = sorted(
        (
            (int(w), i, int(c))
            for i in range(len(columns))
            for c, w in zip(columns[i], weights[i], strict=True)
        ),
        key=lambda p: -p[0],
    )
    free = capacity.astype(np.int64).copy()
    choice = np.full(len(columns), -1, dtype=np.int64)
    total = 0
    for w, i, c in pairs:
        if choice[i] < 0 and free[c] > 0:
            choice[i] = c
            free[c] -= 1
            total += w
    return Solution(choice, total)


@dataclass(frozen=True)
class Assignment:
    """One proposed placement."""

    client_id: int | None
    slot_id: int
    score: float


@dataclass(frozen=True)
class Unassigned:
    """A client the proposal could not place, and why."""

    client_id: int | None
    reason: str


@dataclass
class Proposal:
    """The batch proposal: placements that book nothing yet, and who is left out."""

    assignments: list[Assignment]
    unassigned: list[Unassigned]
    solution: Solution

    @property
    def total_score(self) -> float:
        """Sum of the proposed placements' scores."""
        return round(sum(a.score for a in self.assignments), 2)


def candidates(
    clients: Sequence[ClientProfile],
    table: SlotTable,
    today: date,
    thresholds: Thresholds | None = None,
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Per client: eligible slot indices best first, their integer weights and scores."""
    cols, weights, scores = [], [], []
    for c in clients:
        ok, s = eligible_slots(c, table, today, thresholds)
        order = np.argsort(-s, kind="stable")
        ok, s = ok[order], s[order]
        cols.append(ok)
        scores.append(s)
        weights.append(np.round((PLACEMENT_VALUE + s) * SCALE).astype(np.int64))
    return cols, weights, scores


def propose_assignment(
    clients: Sequence[ClientProfile],
    table: SlotTable,
    *,
    today: date,
    thresholds: Thresholds | None = None,
    initial_k: int = INITIAL_K,
) -> Proposal:
    """The exact best proposal for ``clients`` over the slots of ``table``."""
    cols, weights, scores = candidates(clients, table, today, thresholds)
    free = np.maximum(table.capacity - table.occupied, 0)
    solution = solve(cols, weights, free, initial_k)
    assignments, unassigned = [], []
    for i, c in enumerate(clients):
        j = int(solution.choice[i])
        if j >= 0:
            pos = int(np.flatnonzero(cols[i] == j)[0])
            assignments.append(Assignment(c.id, int(table.ids[j]), float(scores[i][pos])))
        else:
            reason = NO_ELIGIBLE if len(cols[i]) == 0 else LOST_COMPETITION
            unassigned.append(Unassigned(c.id, reason))
    return Proposal(assignments, unassigned, solution)
