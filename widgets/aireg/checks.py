"""What the assignments' hidden tests compute with: inputs rebuilt from the kit's files, and comparisons that trust
only plain Python values.

A hidden test must grade what the student wrote, not what the student's notebook did to the test's surroundings.
So a hidden test imports everything it needs from here (an ``import`` binds fresh names in the test cell, whatever
the notebook rebound), rebuilds its inputs from the data files instead of the notebook's ``responses`` or
``regimes`` (:func:`responses`, :func:`regimes`: read from disk, never from the loaders' cache, which student code
could reach), and compares answers with :func:`same`, which first turns them into plain values (:func:`plain`) and
refuses anything else, so an object whose ``__eq__`` always says yes fails instead of passing.

The grader's interpreter guard (``aireg.grading``) imports this module before any student cell runs and stops the
tests, for review by hand, if it, ``aireg.data``, pandas, ``math`` or the builtins are changed afterwards.
"""

from __future__ import annotations

import datetime as _dt
from math import isclose as _isclose
from math import isnan as _isnan

import numpy as _np
import pandas as pd

from . import data as _data

__all__ = ["close", "evidence", "pd", "plain", "regimes", "responses", "same", "scandal_start"]


def _fresh(package: str, resource: str):
    """A resource read from disk and checked as the loaders do, bypassing their cache (a fresh frame each call)."""
    return _data._cached_at.__wrapped__(str((_data.data_dir() / package).resolve()), resource, ())


def responses(case: str = _data.DEFAULT_CASE) -> pd.DataFrame:
    """``aireg.load_responses()`` as it is on disk."""
    return _fresh(case, "responses")


def regimes() -> pd.DataFrame:
    """``aireg.load_penalty_regimes()`` indexed by ``regime_id``, as the assignments index it."""
    return _fresh("legal", "penalty_regimes").set_index("regime_id")


def evidence(case: str = _data.DEFAULT_CASE) -> pd.DataFrame:
    """``aireg.load_evidence()`` indexed by ``evidence_id``."""
    return _fresh(case, "evidence").set_index("evidence_id")


def scandal_start(case: str = _data.DEFAULT_CASE) -> pd.Timestamp:
    """The date of the case's day-zero event (``x-aireg-case.day_zero``; for Grok, the image-edit feature's
    launch, ``2025-12-24-image-edit-feature``), read fresh from disk."""
    t = _fresh(case, "timeline")
    return t.loc[t["event_id"] == _data.case_info(case)["day_zero"], "date"].iloc[0]


_SCALARS = (bool, int, float, str, type(None))
_NUMPY_SCALARS = (_np.bool_, _np.integer, _np.floating)


def _key(value) -> object:
    return plain(value) if type(value) is not float or not _isnan(value) else None


def plain(value):
    """``value`` as plain Python data, or ``TypeError``: what a grader can compare without running student code.

    Accepted, by exact type (a subclass could redefine equality): ``bool int float str None``, ``list tuple dict``
    of those; numpy scalars and arrays; pandas ``Series`` (a dict, index to value, in order), ``Index`` (a list),
    ``DataFrame`` (a dict of columns); ``Timestamp`` and ``date`` (ISO text); ``NaT`` and ``NA`` (``None``);
    ``Timedelta`` (whole days).
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind in (list, tuple):
        return kind(plain(v) for v in value)
    if kind is dict:
        return {_key(k): plain(v) for k, v in dict.items(value)}
    if isinstance(value, _NUMPY_SCALARS) and kind.__module__ == "numpy":
        return value.item()
    if kind is _np.ndarray and value.dtype.kind in "biufUSM":
        return [plain(v) for v in value.tolist()]
    if value is pd.NaT or value is pd.NA:
        return None
    if kind is pd.Timestamp or kind is _dt.date or kind is _dt.datetime:
        return value.isoformat()
    if kind is pd.Timedelta:
        return int(value.days)
    if kind is pd.Series:
        return {_key(k): plain(v) for k, v in zip(plain(value.index), value.tolist(), strict=True)}
    if isinstance(value, pd.Index) and (kind.__module__ + ".").startswith("pandas."):
        return [_key(v) for v in value.tolist()]
    if kind is pd.DataFrame:
        return {plain(c): plain(value[c]) for c in value.columns.tolist()}
    raise TypeError(f"the answer is a {kind.__name__}, which the grader does not compare; return plain values "
                    "(numbers, text, lists, dicts) or pandas objects")


def _same(a, b, rel_tol: float, abs_tol: float) -> bool:
    numbers = (int, float)
    if type(a) in numbers and type(b) in numbers:
        if type(a) is float and type(b) is float and _isnan(a) and _isnan(b):
            return True
        return _isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
    if type(a) is not type(b):
        return False
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(_same(x, y, rel_tol, abs_tol) for x, y in zip(a, b, strict=True))
    if type(a) is dict:
        return list(a) == list(b) and all(_same(a[k], b[k], rel_tol, abs_tol) for k in a)
    return a == b  # bool, str, None: exact types, so their own equality


def same(got, want, ordered: bool = True, rel_tol: float = 1e-9, abs_tol: float = 1e-12) -> bool:
    """Whether ``got`` equals ``want`` as plain values (:func:`plain`): numbers within tolerance (``int`` and
    ``float`` alike, ``bool`` apart), containers of the same type, dicts in the same order (in any order, and
    lists too, at the top level when ``ordered=False``). False, never an error, when ``got`` is not plain data."""
    try:
        a = plain(got)
    except (TypeError, ValueError, AttributeError, RecursionError):
        return False
    b = plain(want)
    if not ordered and type(a) is type(b) and type(a) in (dict, list, tuple):
        a, b = (dict(sorted(x.items(), key=repr)) if type(x) is dict else sorted(x, key=repr) for x in (a, b))
    return _same(a, b, rel_tol, abs_tol)


def close(got, want, rel_tol: float = 1e-9, abs_tol: float = 0.0) -> bool:
    """``math.isclose`` for a number the student computed: ``got`` must be a real number (not a bool, not an
    object that only claims to be close)."""
    try:
        a = plain(got)
    except (TypeError, ValueError, AttributeError, RecursionError):
        return False
    return type(a) in (int, float) and _isclose(a, plain(want), rel_tol=rel_tol, abs_tol=abs_tol)
