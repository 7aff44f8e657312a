"""The batch proposal is exact: equal to brute force on small cases, never below greedy."""

from __future__ import annotations

import itertools
import random
from datetime import date

import numpy as np
import pytest

from portal.matching.assignment import (
    LOST_COMPETITION,
    NO_ELIGIBLE,
    greedy,
    propose_assignment,
    solve,
)
from portal.matching.profiles import Point
from portal.matching.ranking import SlotTable
from portal.matching.rules import check_placement
from portal.matching.synthetic import random_client, random_slot
from tests.matching.builders import HOME, TODAY, client, slot


def random_instance(rng: random.Random, n: int, m: int, density: float):
    capacity = np.array([rng.randint(1, 2) for _ in range(m)])
    columns, weights = [], []
    for _ in range(n):
        pairs = [(rng.randint(10_000, 20_000), j) for j in range(m) if rng.random() < density]
        pairs.sort(reverse=True)
        columns.append(np.array([j for _, j in pairs], dtype=np.int64))
        weights.append(np.array([w for w, _ in pairs], dtype=np.int64))
    return columns, weights, capacity


def brute_force(columns, weights, capacity) -> int:
    best = 0
    options = [[-1, *range(len(c))] for c in columns]
    for pick in itertools.product(*options):
        used = np.zeros_like(capacity)
        total = 0
        for i, k in enumerate(pick):
            if k >= 0:
                used[columns[i][k]] += 1
                total += int(weights[i][k])
        if (used <= capacity).all():
            best = max(best, total)
    return best


def check_feasible(solution, columns, capacity) -> None:
    used = np.zeros_like(capacity)
    for i, j in enumerate(solution.choice):
        if j >= 0:
            assert j in columns[i]
            used[j] += 1
    assert (used <= capacity).all()


@pytest.mark.parametrize("seed", range(40))
def test_equals_brute_force_on_small_cases(seed: int) -> None:
    rng = random.Random(seed)
    n, m = rng.randint(1, 6), rng.randint(1, 4)
    columns, weights, capacity = random_instance(rng, n, m, density=0.6)
    # k = 1 forces the certificate loop to widen the candidate lists
    solution = solve(columns, weights, capacity, initial_k=1)
    check_feasible(solution, columns, capacity)
    assert solution.objective == brute_force(columns, weights, capacity)


@pytest.mark.parametrize("seed", range(15))
def test_never_worse_than_greedy(seed: int) -> None:
    rng = random.Random(100 + seed)
    columns, weights, capacity = random_instance(rng, 120, 40, density=0.2)
    exact = solve(columns, weights, capacity, initial_k=2)
    check_feasible(exact, columns, capacity)
    assert exact.objective >= greedy(columns, weights, capacity).objective


def test_greedy_can_lose_and_the_exact_method_does_not() -> None:
    # client 0 likes slot 0 a bit more than slot 1; client 1 can only use slot 0.
    columns = [np.array([0, 1]), np.array([0])]
    weights = [np.array([19_000, 18_000]), np.array([15_000])]
    capacity = np.array([1, 1])
    assert greedy(columns, weights, capacity).objective == 19_000
    assert solve(columns, weights, capacity).objective == 33_000


def test_proposal_respects_every_rule_and_capacity() -> None:
    rng = random.Random(5)
    slots = [random_slot(rng, i, spread_deg=0.1) for i in range(200)]
    clients = [random_client(rng, k, spread_deg=0.1) for k in range(150)]
    table = SlotTable.build(slots)
    proposal = propose_assignment(clients, table, today=TODAY, initial_k=2)
    by_id = {s.id: s for s in slots}
    seats: dict[int, int] = {}
    for a in proposal.assignments:
        c = clients[a.client_id]
        assert check_placement(c, by_id[a.slot_id], today=TODAY) == []
        seats[a.slot_id] = seats.get(a.slot_id, 0) + 1
    assert all(seats[s] <= by_id[s].free_seats for s in seats)
    assert len(proposal.assignments) + len(proposal.unassigned) == len(clients)
    assert proposal.assignments


def test_unassigned_clients_are_told_why() -> None:
    one_seat = slot(id=1, capacity=1)
    a = client(id=1)
    b = client(id=2)
    sick = client(id=3, health_cleared=False)
    far = client(id=4, home=Point(HOME.lat + 1, HOME.lng))
    proposal = propose_assignment([a, b, sick, far], SlotTable.build([one_seat]), today=TODAY)
    assert len(proposal.assignments) == 1
    reasons = {u.client_id: u.reason for u in proposal.unassigned}
    assert reasons[3] == NO_ELIGIBLE
    assert reasons[4] == NO_ELIGIBLE
    assert LOST_COMPETITION in reasons.values()


def test_empty_batch() -> None:
    proposal = propose_assignment([], SlotTable.build([slot()]), today=date(2026, 6, 1))
    assert proposal.assignments == []
    assert proposal.unassigned == []
