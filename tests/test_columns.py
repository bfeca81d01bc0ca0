"""The group-bys the long-history analysis reads columns with, against the same done one
row at a time in plain Python."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.columns import distinct, range_maxima

rows = st.lists(
    st.tuples(
        st.sampled_from([0.0, -0.0, 2.5, 100.04, 1e300]),
        st.integers(-3, 3),
        st.one_of(st.integers(0, 5), st.integers(10**12, 10**12 + 2)),
        st.booleans(),
    ),
    max_size=60,
)


@given(rows)
def test_rows_are_numbered_as_a_dict_numbers_them_as_it_first_sees_them(
    found: list[tuple[float, int, int, bool]],
) -> None:
    numbers: dict[tuple[float, int, int, bool], int] = {}
    firsts = []
    for index, row in enumerate(found):
        if row not in numbers:
            numbers[row] = len(numbers)
            firsts.append(index)
    columns = [np.array([row[k] for row in found]) for k in range(4)]
    if not found:
        columns = [np.zeros(0), np.zeros(0, int), np.zeros(0, int), np.zeros(0, bool)]
    group, first = distinct(*columns)
    assert group.tolist() == [numbers[row] for row in found]
    assert first.tolist() == firsts


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40), st.data())
def test_the_largest_of_each_range_is_the_largest_of_its_values(
    values: list[float], data: st.DataObject
) -> None:
    ranges = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(values) - 1), st.integers(0, len(values) - 1)).map(sorted),
            max_size=20,
        )
    )
    starts = np.array([low for low, _ in ranges], dtype=np.intp)
    ends = np.array([high for _, high in ranges], dtype=np.intp)
    found = range_maxima(np.array(values), starts, ends).tolist()
    assert found == [max(values[low : high + 1]) for low, high in ranges]
