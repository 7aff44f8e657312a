"""Benchmark of the placement engine: ranking one client and the exact batch proposal,
whose optimum is checked first against a full MILP over every allowed pair (scipy milp).

Run by hand: ``python bench/bench_matching.py``. Prints wall time and the peak
resident memory of the process. Synthetic, fictitious data spread over about
90 x 90 km around Ngawi (portal.matching.synthetic).
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.matching.assignment import candidates, greedy, propose_assignment, solve  # noqa: E402
from portal.matching.ranking import SlotTable, rank_client  # noqa: E402
from portal.matching.synthetic import random_client, random_slot  # noqa: E402

TODAY = date(2026, 6, 1)


def peak_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_ranking(n_slots: int = 20_000, repeats: int = 50) -> None:
    rng = random.Random(1)
    slots = [random_slot(rng, i) for i in range(n_slots)]
    t = time.perf_counter()
    table = SlotTable.build(slots)
    build = time.perf_counter() - t
    clients = [random_client(rng, k) for k in range(repeats)]
    times, eligible = [], 0
    cpu = time.process_time()
    for c in clients:
        t = time.perf_counter()
        ranking = rank_client(c, table, today=TODAY)
        top = ranking.eligible(limit=50)
        times.append(time.perf_counter() - t)
        eligible += len(top)
    cpu = (time.process_time() - cpu) / repeats
    times.sort()
    t = time.perf_counter()
    ranking.excluded()
    all_excluded = time.perf_counter() - t
    print(
        f"ranking 1 client x {n_slots} slots: median {times[len(times) // 2] * 1000:.1f} ms, "
        f"max {times[-1] * 1000:.1f} ms, CPU mean {cpu * 1000:.1f} ms "
        "(rules + scores + top 50 with reasons); "
        f"slot table built once in {build * 1000:.0f} ms; "
        f"messages of all {ranking.excluded_count} excluded slots {all_excluded * 1000:.0f} ms"
    )


def bench_batch(n_clients: int, n_slots: int, spread: float = 0.4) -> None:
    rng = random.Random(2)
    slots = [random_slot(rng, i, spread) for i in range(n_slots)]
    clients = [random_client(rng, k, spread) for k in range(n_clients)]
    t0 = time.perf_counter()
    table = SlotTable.build(slots)
    t1 = time.perf_counter()
    cpu = time.process_time()
    proposal = propose_assignment(clients, table, today=TODAY)
    cpu = time.process_time() - cpu
    t2 = time.perf_counter()
    cols, weights, _ = candidates(clients, table, TODAY)
    t3 = time.perf_counter()
    free = (table.capacity - table.occupied).clip(0)
    t4 = time.perf_counter()
    solve(cols, weights, free)
    t5 = time.perf_counter()
    base = greedy(cols, weights, free)
    pairs = sum(len(c) for c in cols)
    sol = proposal.solution
    print(
        f"batch {n_clients} clients x {n_slots} slots (spread {spread} deg): {t2 - t1:.2f} s "
        f"wall, {cpu:.2f} s CPU "
        f"(rules+scores {t3 - t2:.2f} s, exact solver {t5 - t4:.2f} s), "
        f"table {t1 - t0:.2f} s, peak RSS {peak_mb():.0f} MB; "
        f"{pairs} eligible pairs, {sol.kept_pairs} kept, {sol.rounds} round(s); "
        f"placed {len(proposal.assignments)} (greedy {int((base.choice >= 0).sum())}), "
        f"objective {sol.objective} vs greedy {base.objective} "
        f"(+{(sol.objective - base.objective) / max(base.objective, 1) * 100:.2f}%)"
    )


def exact_milp(cols, weights, free) -> int:  # type: ignore[no-untyped-def]
    """The optimum by an independent solve: one MILP over every allowed pair (no columns
    dropped, binary variables, no reliance on total unimodularity)."""
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows = np.concatenate([np.full(len(c), i) for i, c in enumerate(cols)])
    slots = np.concatenate(list(cols))
    w = np.concatenate(list(weights)).astype(float)
    m = len(w)
    per_client = sp.csr_matrix((np.ones(m), (rows, np.arange(m))), shape=(len(cols), m))
    per_slot = sp.csr_matrix((np.ones(m), (slots, np.arange(m))), shape=(len(free), m))
    result = milp(
        -w,
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
        constraints=[
            LinearConstraint(per_client, 0, 1),
            LinearConstraint(per_slot, 0, free.astype(float)),
        ],
    )
    assert result.status == 0, result.message
    return int(round(-result.fun))


def check_exact(n_clients: int, n_slots: int, spread: float, seed: int) -> None:
    """The batch proposal's objective against the full MILP's, on one sampled size."""
    rng = random.Random(seed)
    slots = [random_slot(rng, i, spread) for i in range(n_slots)]
    clients = [random_client(rng, k, spread) for k in range(n_clients)]
    table = SlotTable.build(slots)
    cols, weights, _ = candidates(clients, table, TODAY)
    free = (table.capacity - table.occupied).clip(0)
    t0 = time.perf_counter()
    ours = solve(cols, weights, free)
    t1 = time.perf_counter()
    optimum = exact_milp(cols, weights, free)
    t2 = time.perf_counter()
    base = greedy(cols, weights, free)
    verdict = "equal" if ours.objective == optimum else "DIFFERENT"
    print(
        f"exact check {n_clients} clients x {n_slots} slots (spread {spread}, seed {seed}): "
        f"{sum(len(c) for c in cols)} pairs; column generation {ours.objective} "
        f"({t1 - t0:.2f} s), full MILP {optimum} ({t2 - t1:.2f} s): {verdict}; "
        f"greedy {base.objective}"
    )
    assert ours.objective == optimum


if __name__ == "__main__":
    for n_clients, n_slots, spread, seed in [
        (200, 1_000, 0.4, 1),
        (500, 2_000, 0.1, 2),
        (1_000, 500, 0.1, 3),  # more clients than seats: competition
        (1_000, 5_000, 0.2, 4),
    ]:
        check_exact(n_clients, n_slots, spread, seed)
    bench_ranking()
    bench_batch(1_000, 5_000)
    bench_batch(5_000, 20_000)
    # crowded: everyone within about 20 km, so many more eligible pairs and competition
    bench_batch(5_000, 20_000, spread=0.1)
    bench_batch(5_000, 2_000, spread=0.1)
