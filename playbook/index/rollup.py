"""Population-weighted roll-up of index results to higher geographies (DA -> CSD -> CD -> PR...).

For a group ``g`` and a score ``s`` (a dimension or the index), the rolled-up value is
``sum(pop_u s_u) / sum(pop_u)`` over the units of ``g`` that have a score; ``population`` is the
group's total population and ``population_covered`` the share of it living in scored units. Groups
are then ranked (1 = most vulnerable) and given quintiles (5 = most vulnerable) like units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.errors import PlaybookError
from playbook.index import aggregate
from playbook.index.pipeline import Result, int_array


def rollup(result: Result, by: str | pd.Series, *, population: str | pd.Series | None = None) -> pd.DataFrame:
    """Roll ``result.scores`` up to the groups ``by`` (a column of the data, or a Series aligned
    with the units), weighting by ``population`` (a column; default the spec's ``population``)."""
    spec, data, scores = result.spec, result.data.reset_index(drop=True), result.scores
    if isinstance(by, str):
        if by not in data.columns:
            raise PlaybookError(f"no column '{by}' in the data", field=by,
                                expected="a column naming the higher geography")
        groups, name = data[by], by
    else:
        groups, name = pd.Series(np.asarray(by)), by.name or "group"
    column = spec.population if population is None else population  # a Series has no truth value
    if column is None:
        raise PlaybookError("no population to weight by", field="population",
                            expected="population: <column> in the spec, or the population argument")
    pop = data[column] if isinstance(column, str) else pd.Series(np.asarray(column))
    pop = pd.to_numeric(pop, errors="coerce").fillna(0.0).to_numpy(dtype=float)
    values = [*spec.dimension_ids, "score"]
    frame = pd.DataFrame({name: groups.to_numpy(), "_pop": pop})
    for col in values:
        x = scores[col].to_numpy(dtype=float)
        has = ~np.isnan(x)
        frame[f"_wx_{col}"] = np.where(has, pop * np.nan_to_num(x), 0.0)
        frame[f"_w_{col}"] = np.where(has, pop, 0.0)
    sums = frame.groupby(name, sort=True, dropna=False).sum()
    out = pd.DataFrame(index=sums.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        for col in values:
            out[col] = np.where(sums[f"_w_{col}"] > 0, sums[f"_wx_{col}"] / sums[f"_w_{col}"], np.nan)
        out["population"] = sums["_pop"]
        out["population_covered"] = np.where(sums["_pop"] > 0, sums["_w_score"] / sums["_pop"], np.nan)
    out = out.reset_index()
    rank = aggregate.ranks(out["score"].to_numpy(dtype=float))
    out["rank"] = int_array(rank)
    out["quintile"] = int_array(aggregate.quintiles(rank))
    return out
