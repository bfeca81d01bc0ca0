"""Group-bys on columns of numbers (numpy), for what reads a long history whole: each
row's group, numbered in the order first seen, and a range's largest value."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Index = npt.NDArray[np.intp]


def distinct(*keys: npt.NDArray[Any]) -> tuple[Index, Index]:
    """The rows of ``keys`` (columns of one length, no NaN), each as its number among the
    distinct rows, numbered in the order first seen; and the index where each first appears.

    >>> group, first = distinct(np.array([3.0, 1.0, 3.0, -0.0]), np.array([1, 2, 1, 2]))
    >>> group.tolist(), first.tolist()
    ([0, 1, 0, 2], [0, 1, 3])
    """
    size = len(keys[0])
    code = np.zeros(size, dtype=np.int64)
    bound = 1
    for key in keys:
        column = np.asarray(key)
        if not size:
            break
        low = int(column.min()) if column.dtype.kind in "biu" else 0
        if column.dtype.kind in "biu" and int(column.max()) - low < 4 * size:
            # Whole numbers close together (an index, reps, a day) number themselves.
            inverse = column.astype(np.int64) - low
            width = int(column.max()) - low + 1
        else:
            # -0.0 is 0.0, as a dict's key reads it. The few distinct values are found
            # without sorting them all, then each row's among them.
            column = column + 0.0
            values = np.unique(column)
            inverse = np.searchsorted(values, column)
            width = len(values)
        if bound * width >= 1 << 62:
            distinct_so_far, code = np.unique(code, return_inverse=True)
            bound = len(distinct_so_far)
        code = code * width + inverse.reshape(-1)
        bound *= width
    if bound <= 4 * size:
        # Few enough numbers to hold each one's first row, and each one's group.
        first_at = np.full(bound, size, dtype=np.intp)
        np.minimum.at(first_at, code, np.arange(size, dtype=np.intp))
        firsts = np.sort(first_at[first_at < size])
        group = np.empty(bound, dtype=np.intp)
        group[code[firsts]] = np.arange(len(firsts), dtype=np.intp)
        return group[code], firsts
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse.reshape(-1)], first[order]


def range_maxima(
    values: npt.NDArray[np.float64], starts: Index, ends: Index
) -> npt.NDArray[np.float64]:
    """The largest of ``values[start : end + 1]`` for each start and end: a sparse table
    built a level at a time (memory as ``values``, time n log n).

    >>> range_maxima(np.array([1.0, 5.0, 2.0, 4.0, 3.0]), np.array([0, 2, 4]), np.array([4, 3, 4]))
    array([5., 4., 3.])
    """
    result = np.empty(len(starts), dtype=np.float64)
    if not len(starts):
        return result
    lengths = ends - starts + 1
    levels = np.zeros(len(lengths), dtype=np.intp)
    while True:
        longer = (2 << levels) <= lengths
        if not longer.any():
            break
        levels[longer] += 1
    level = values
    for k in range(int(levels.max()) + 1):
        asked = levels == k
        if asked.any():
            result[asked] = np.maximum(level[starts[asked]], level[ends[asked] - (1 << k) + 1])
        width = 1 << k
        level = np.maximum(level[:-width], level[width:])
    return result
