"""The batch proposal: every waiting client to at most one slot, best total, exactly.

The problem is a transportation problem: clients supply one person each, slots
take up to their free seats, a pair is allowed only when it breaks no hard rule,
and a placed pair is worth ``PLACEMENT_VALUE + score`` (score 0 to 100). The
constant makes a placement itself worth a perfect fit: leaving a client out
to give another a better seat costs more than any single fit can gain.

Why it is exact and fast. The constraint matrix is that of a bipartite
b-matching, totally unimodular, so the linear programme has an integral optimal
vertex, which HiGHS's interior point method with crossover returns
(``scipy.optimize.linprog``), with the dual prices ``u_i`` (clients) and
``v_j`` (slots). The full programme has millions of allowed pairs, so it
starts from each client's best ``k`` pairs and adds columns (column
generation): a dropped pair with a positive reduced cost ``w_ij - u_i - v_j``
(``v_j = 0`` for a slot outside the restricted programme, which has a free
seat) joins, and the programme is solved again. When no dropped pair has a
positive reduced cost, the duals are feasible for the full programme and the
restricted optimum is the full optimum (LP duality): exact, not greedy, with
no dense matrix. Measured figures are in ``bench/``.
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


def solve(
    columns: Sequence[np.ndarray],
    weights: Sequence[np.ndarray],
    capacity: np.ndarray,
    initial_k: int = INITIAL_K,
) -> Solution:
    """Maximise the total weight; ``columns[i]``/``weights[i]`` list row i's allowed pairs.

    Each row's pairs must be sorted by weight, best first; weights must be positive.
    Column generation: solve over each row's best ``initial_k`` pairs, then add every
    dropped pair whose reduced cost against the dual prices is positive, until none is.
    """
    n = len(columns)
    choice = np.full(n, -1, dtype=np.int64)
    lengths = np.array([len(c) for c in columns], dtype=np.int64)
    if n == 0 or lengths.sum() == 0:
        return Solution(choice, 0)
    rows_all = np.repeat(np.arange(n), lengths)
    cols_all = np.concatenate(list(columns)).astype(np.int64)
    w_all = np.concatenate(list(weights)).astype(np.float64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    rank_in_row = np.arange(rows_all.size) - starts[rows_all]
    kept = rank_in_row < initial_k
    prices = np.zeros(int(capacity.size))
    rounds = 0
    while True:
        rounds += 1
        pick = np.flatnonzero(kept)
        rows, cols, w = rows_all[pick], cols_all[pick], w_all[pick]
        used, slot_row = np.unique(cols, return_inverse=True)
        nv, m = pick.size, used.size
        ones = np.ones(nv)
        var = np.arange(nv)
        a = sp.vstack(
            [
                sp.csr_matrix((ones, (rows, var)), shape=(n, nv)),
                sp.csr_matrix((ones, (slot_row, var)), shape=(m, nv)),
            ]
        ).tocsr()
        b = np.concatenate([np.ones(n), capacity[used].astype(np.float64)])
        # SciPy's HiGHS methods take a sparse A_ub; its stubs declare dense arrays only.
        result = linprog(-w, A_ub=a, b_ub=b, bounds=(0, None), method="highs-ipm")  # type: ignore[call-overload]
        if result.status != 0:  # pragma: no cover - a bounded feasible LP always solves
            raise RuntimeError(f"Penyelesai penugasan gagal: {result.message}")
        x = result.x
        if np.abs(x - np.round(x)).max() > 1e-6:  # pragma: no cover - total unimodularity
            raise RuntimeError("Penyelesai penugasan memberi solusi pecahan.")
        duals = -result.ineqlin.marginals
        u = duals[:n]
        prices[:] = 0.0  # a slot outside the restricted programme is not full: price 0
        prices[used] = duals[n:]
        reduced = w_all - u[rows_all] - prices[cols_all]
        entering = ~kept & (reduced > 1e-6 * w_all)
        if not entering.any():
            chosen = np.flatnonzero(np.round(x) == 1)
            choice[rows[chosen]] = cols[chosen]
            return Solution(choice, int(round(w[chosen].sum())), rounds, int(nv))
        kept |= entering


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
