"""The placement engine: who may work where, and which placements fit best.

Pure Python and NumPy, no Flask and no database. The web and API layers build
the plain profiles of :mod:`portal.matching.profiles` from their models and call:

* :func:`portal.matching.rules.check_placement`: every hard rule of DOMAIN.md for
  one client and one slot (the reference implementation, one function per rule);
* :func:`portal.matching.ranking.rank_client`: one client against many slots at
  once, vectorised, agreeing with the rules above;
* :func:`portal.matching.assignment.propose_assignment`: the exact batch proposal.
"""
