"""The benchmark's statistics: p95 is the nearest-rank percentile, not the slowest run."""

from benchmarks.__main__ import _percentile


def test_p95_of_twenty_runs_is_the_nineteenth():
    runs = [0.010] * 18 + [0.020, 0.900]  # one stall in twenty runs
    assert _percentile(runs, 95) == 0.020
    assert _percentile(list(range(1, 101)), 95) == 95
    assert _percentile([0.5], 95) == 0.5
    assert _percentile(list(range(1, 21)), 50) == 10
