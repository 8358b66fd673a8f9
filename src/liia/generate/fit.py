"""Integer values close to preferred ones that add up to an exact total."""

from __future__ import annotations

import random


class InfeasibleTotalError(ValueError):
    """No values within the bounds add up to the total."""


def fit_total(
    preferred: list[int],
    total: int,
    lo: int,
    hi: int,
    rng: random.Random,
    *,
    quantum: int = 1,
    max_step: int | None = None,
) -> list[int]:
    """Values in [lo, hi] summing exactly to ``total``, changing as few preferred values as
    possible: first in steps that are multiples of ``quantum`` (at most ``max_step`` each),
    then whatever remainder is left goes to single values."""
    n = len(preferred)
    if not n * lo <= total <= n * hi:
        raise InfeasibleTotalError(f"{n} values in [{lo}, {hi}] cannot sum to {total}")
    values = [min(hi, max(lo, p)) for p in preferred]
    diff = total - sum(values)
    order = list(range(n))
    rng.shuffle(order)
    passes = [(quantum, max_step), (1, None)] if quantum > 1 or max_step else [(1, None)]
    for step_quantum, step_limit in passes:
        for i in order:
            if diff == 0:
                return values
            room = hi - values[i] if diff > 0 else values[i] - lo
            change = min(room, abs(diff), step_limit if step_limit is not None else room)
            change -= change % step_quantum
            values[i] += change if diff > 0 else -change
            diff += -change if diff > 0 else change
    if diff != 0:
        raise InfeasibleTotalError(f"could not place {diff} within the bounds")
    return values


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split an integer total in proportion to weights (largest remainder), each >= minimum."""
    n = len(weights)
    if n == 0:
        if total:
            raise InfeasibleTotalError(f"cannot split {total} between nobody")
        return []
    spare = total - minimum * n
    if spare < 0:
        raise InfeasibleTotalError(f"{total} is less than {minimum} each for {n}")
    weight_sum = sum(weights) or float(n)
    shares = [(w if sum(weights) else 1.0) / weight_sum * spare for w in weights]
    parts = [int(s) for s in shares]
    order = sorted(range(n), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [minimum + p for p in parts]
