"""Write the nbgrader source notebooks (authoring aid: edit the cell text here, rerun, commit the .ipynb files).

    python assignments/build_assignments.py            # writes assignments/source/<name>/<name>.ipynb

Cell kinds (nbgrader schema_version 3):
- ``md``/``code``: read-only cells (locked) so instructions and setup cannot be edited;
- ``answer``: autograded answer, ``### BEGIN SOLUTION``/``### END SOLUTION`` replaced by a stub on release;
- ``tests``: locked autograder tests with points; visible asserts carry a helpful message, ``### BEGIN HIDDEN TESTS``
  call the student's function on other inputs, so a hard-coded answer fails;
- ``manual``: a markdown answer graded by hand with the rubric in ``assignments/README.md`` (the model answer in the
  source is replaced by "YOUR ANSWER HERE" on release).
"""

from __future__ import annotations

import sys
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent


class Book:
    def __init__(self, name: str):
        self.name = name
        self.cells: list = []
        self._n = 0

    def _add(self, cell, meta: dict) -> None:
        self._n += 1
        cell.metadata["nbgrader"] = {"schema_version": 3, **meta}
        cell.id = f"{meta['grade_id']}"
        self.cells.append(cell)

    def _locked(self) -> dict:
        return {"grade": False, "solution": False, "locked": True, "task": False,
                "grade_id": f"{self.name}-read-only-{self._n + 1:02d}"}

    def md(self, text: str) -> None:
        self._add(new_markdown_cell(dedent(text).strip()), self._locked())

    def code(self, text: str) -> None:
        self._add(new_code_cell(dedent(text).strip()), self._locked())

    def answer(self, grade_id: str, text: str) -> None:
        self._add(new_code_cell(dedent(text).strip()),
                  {"grade": False, "solution": True, "locked": False, "task": False, "grade_id": grade_id})

    def tests(self, grade_id: str, points: int, text: str) -> None:
        self._add(new_code_cell(dedent(text).strip()),
                  {"grade": True, "solution": False, "locked": True, "task": False, "grade_id": grade_id,
                   "points": points})

    def manual(self, grade_id: str, points: int, model_answer: str) -> None:
        self._add(new_markdown_cell(dedent(model_answer).strip()),
                  {"grade": True, "solution": True, "locked": False, "task": False, "grade_id": grade_id,
                   "points": points})

    def notebook(self) -> nbformat.NotebookNode:
        nb = new_notebook(cells=self.cells)
        nb.metadata.update({
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        })
        nbformat.validate(nb)
        return nb


CONTENT_NOTE = (HERE.parent / "lessons" / "content-note.md").read_text(encoding="utf-8").strip()
"""The same content note opens every lesson (lessons/content-note.md) and every assignment."""

HOW_TO = """
**How this assignment works.** Write your code between the lines that say `# YOUR CODE HERE` (delete the
`raise NotImplementedError()` line). The test cells after each answer check your work; some tests are hidden and
run only when your instructor grades, on *other* data, so write functions that work for any frame, not just this
one. Before you submit: **Kernel → Restart Kernel and Run All Cells**, then press **Validate**. Do not delete or
copy cells (the grader restores its own copy of every test).
"""


# ---------------------------------------------------------------------------------------------------------------
def a1() -> Book:
    b = Book("a1-responses")
    b.md("""
    # Assignment 1: reading the responses data

    **Learning objectives.** After this assignment you can
    1. count and sort categorical data with pandas (`value_counts`, `groupby`);
    2. find the first event per group and measure delays with datetime arithmetic;
    3. turn a verbal definition ("escalated") into an explicit, testable rule;
    4. tell a binding measure from a formal step, a letter and a legislative vote, and say which laws were in force
       on a given day;
    5. explain why "fastest" is not the same as "most effective".

    **Time needed.** 50-60 minutes. **Prerequisites.** Lessons 01 and 02, and basic pandas (selecting rows,
    `groupby`). Questions 5 and 6 need no pandas at all. **Points.** 20 (16 autograded, 4 graded by hand).
    """)
    b.md(CONTENT_NOTE)
    b.md(HOW_TO)
    b.md("""
    ## The data

    `aireg.load_responses()` returns one row per government or regulator response to the Grok "undressing" images:
    `iso3` identifies the jurisdiction (ISO-3 code, `EUU` for the EU, `US-CA` style for US states), `date` is a
    datetime, `action_type` is a category (statement, information_request, investigation, ...). The cell below
    also reads the timeline to fix two dates used below: `SCANDAL_START` (Grok's image-edit feature, the
    `2025-12-24-image-edit-feature` event) and `FIRST_REPORT` (the first media report or research finding after it).
    """)
    b.code("""
    import pandas as pd

    import aireg

    responses = aireg.load_responses()
    timeline = aireg.load_timeline()
    SCANDAL_START = timeline.loc[timeline["event_id"] == "2025-12-24-image-edit-feature", "date"].iloc[0]
    reports = timeline["category"].isin(["media_report", "research_finding"]) & (timeline["date"] >= SCANDAL_START)
    FIRST_REPORT = timeline.loc[reports, "date"].min()
    print("scandal start:", SCANDAL_START.date(), "| first report:", FIRST_REPORT.date())
    responses[["iso3", "date", "actor", "action_type", "status"]].head()
    """)
    b.md("""
    ## Question 1: what kinds of action? (2 points)

    Write `count_actions(frame)` that returns a pandas **Series** with the number of rows per `action_type`,
    indexed by the action type, **largest first**, leaving out types that never occur in `frame`.
    """)
    b.answer("a1-count-actions", """
    def count_actions(frame: pd.DataFrame) -> pd.Series:
        \"\"\"Number of responses per action type, largest first; only types that occur.\"\"\"
        ### BEGIN SOLUTION
        counts = frame["action_type"].astype(str).value_counts()
        return counts[counts > 0]
        ### END SOLUTION
    """)
    b.tests("a1-count-actions-tests", 2, """
    \"\"\"count_actions: one count per action type that occurs, largest first.\"\"\"
    counts = count_actions(responses)
    assert isinstance(counts, pd.Series), f"count_actions should return a pandas Series, not {type(counts).__name__}"
    assert counts.sum() == len(responses), f"the counts should add up to {len(responses)} rows, not {counts.sum()}"
    assert counts.is_monotonic_decreasing, "sort the counts, largest first (hint: value_counts sorts for you)"
    assert (counts > 0).all(), "leave out action types that never occur (a categorical column keeps empty ones)"
    assert counts["statement"] == (responses["action_type"] == "statement").sum(), "check the count of 'statement'"
    ### BEGIN HIDDEN TESTS
    _sub = responses[responses["iso3"] != "GBR"]
    _want = _sub["action_type"].astype(str).value_counts()
    _got = count_actions(_sub)
    assert {str(k): int(v) for k, v in _got.items()} == {k: int(v) for k, v in _want[_want > 0].items()}
    _nofine = responses[responses["action_type"] != "fine"]
    assert "fine" not in [str(k) for k in count_actions(_nofine).index]
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 2: who moved first? (3 points)

    Write `first_movers(frame, since, n=5)`: keep the rows dated **on or after** `since`, take the **first
    response of each jurisdiction** (`iso3`), sort them by date (ties: by `iso3`) and return the first `n` rows
    with the columns `iso3`, `jurisdiction`, `date`, `action_type` and a fresh index `0..n-1`.

    Why `since`? The first row of the data (the EU's fine of 5 December 2025) predates the Grok images and is
    listed only for context.
    """)
    b.answer("a1-first-movers", """
    def first_movers(frame: pd.DataFrame, since: pd.Timestamp, n: int = 5) -> pd.DataFrame:
        \"\"\"The first response of each jurisdiction on or after `since`, earliest first, `n` rows.\"\"\"
        ### BEGIN SOLUTION
        recent = frame[frame["date"] >= since].sort_values(["date", "iso3"], kind="stable")
        first = recent.drop_duplicates("iso3", keep="first")
        return first[["iso3", "jurisdiction", "date", "action_type"]].head(n).reset_index(drop=True)
        ### END SOLUTION
    """)
    b.tests("a1-first-movers-tests", 3, """
    \"\"\"first_movers: one row per jurisdiction, earliest first, nothing before `since`.\"\"\"
    fm = first_movers(responses, SCANDAL_START)
    assert isinstance(fm, pd.DataFrame), "first_movers should return a DataFrame"
    assert list(fm.columns) == ["iso3", "jurisdiction", "date", "action_type"], f"columns are {list(fm.columns)}"
    assert len(fm) == 5, f"n=5 should give 5 rows, got {len(fm)}"
    assert fm["iso3"].is_unique, "each jurisdiction appears once (keep only its first response)"
    assert (fm["date"] >= SCANDAL_START).all(), "drop rows before `since`"
    assert fm["date"].is_monotonic_increasing, "sort by date, earliest first"
    assert list(fm.index) == list(range(5)), "reset the index to 0..n-1"
    ### BEGIN HIDDEN TESTS
    def _ref(frame, since, n):
        r = frame[frame["date"] >= since].sort_values(["date", "iso3"], kind="stable")
        return r.drop_duplicates("iso3")[["iso3", "date"]].head(n).reset_index(drop=True)
    for _since, _n in [(SCANDAL_START, 8), (pd.Timestamp("2026-01-10"), 6), (pd.Timestamp("2026-02-01"), 3)]:
        _shuffled = responses.sample(frac=1.0, random_state=7)
        _got = first_movers(_shuffled, _since, _n)
        _want = _ref(responses, _since, _n)
        assert list(_got["iso3"]) == list(_want["iso3"]), (_since, _n)
        assert list(_got["date"]) == list(_want["date"])
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 3: how long did each jurisdiction take? (3 points)

    Write `days_to_first_action(frame, first_report)` returning a Series indexed by `iso3`, named `"days"`:
    for each jurisdiction with a response on or after `first_report`, the whole number of days from
    `first_report` to its first such response. Sort it by days, smallest first (ties: by `iso3`).
    """)
    b.answer("a1-days", """
    def days_to_first_action(frame: pd.DataFrame, first_report: pd.Timestamp) -> pd.Series:
        \"\"\"Days from `first_report` to each jurisdiction's first response on or after it.\"\"\"
        ### BEGIN SOLUTION
        recent = frame[frame["date"] >= first_report]
        first = recent.groupby("iso3")["date"].min()
        days = (first - first_report).dt.days.astype(int)
        return days.sort_values(kind="stable").rename("days")
        ### END SOLUTION
    """)
    b.tests("a1-days-tests", 3, """
    \"\"\"days_to_first_action: whole days, one per jurisdiction, smallest first.\"\"\"
    days = days_to_first_action(responses, FIRST_REPORT)
    assert isinstance(days, pd.Series) and days.name == "days", "return a Series named 'days'"
    assert days.index.is_unique, "one value per jurisdiction"
    assert (days >= 0).all(), "no negative delays: only count responses on or after first_report"
    assert days.is_monotonic_increasing, "sort smallest first"
    _ind = responses.loc[(responses["iso3"] == "IND") & (responses["date"] >= FIRST_REPORT), "date"].min()
    assert days["IND"] == (_ind - FIRST_REPORT).days, f"India's first action came {(_ind - FIRST_REPORT).days} days after"
    ### BEGIN HIDDEN TESTS
    for _start in [pd.Timestamp("2026-01-10"), pd.Timestamp("2026-01-20")]:
        _sub = responses.sample(frac=0.8, random_state=3)
        _r = _sub[_sub["date"] >= _start].groupby("iso3")["date"].min()
        _want = (_r - _start).dt.days.sort_values(kind="stable")
        _got = days_to_first_action(_sub, _start)
        assert sorted(_got.index) == sorted(_want.index)
        assert all(int(_got[k]) == int(_want[k]) for k in _want.index)
        assert list(_got.values) == sorted(_got.values)
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 4: who escalated? (3 points)

    We rank action types by the same order as lesson 02's map (`SEVERITY` below, read from the kit). Three types
    are left out and ignored: `legislation` (a law binds everyone, so it is not a response to X), `block_lifted`
    and `other`. A jurisdiction **escalated** if, among its ranked responses on or after `since`, a response dated
    **after its first day** has a **higher** level than the highest level on its first day. Write
    `escalated(frame, since)` returning the sorted list of `iso3` codes that escalated.

    *Hint, step by step:* keep the rows on or after `since`; add a column `level` with
    `frame["action_type"].astype(str).map(SEVERITY)` and drop rows without a level; then, for each `iso3` (a `for`
    loop over `groupby("iso3")` is fine), compare the highest level on its first day with the highest level on
    later days.
    """)
    b.code("""
    from aireg.maps import ACTION_ORDER

    SEVERITY = {t: i + 1 for i, t in enumerate(ACTION_ORDER) if t != "legislation"}
    SEVERITY
    """)
    b.answer("a1-escalated", """
    def escalated(frame: pd.DataFrame, since: pd.Timestamp) -> list[str]:
        \"\"\"Sorted iso3 codes of jurisdictions whose later responses went up the SEVERITY ladder.\"\"\"
        ### BEGIN SOLUTION
        recent = frame[frame["date"] >= since]
        ranked = recent.assign(level=recent["action_type"].astype(str).map(SEVERITY)).dropna(subset=["level"])
        out = []
        for iso3, rows in ranked.groupby("iso3"):
            first_day = rows["date"].min()
            start = rows.loc[rows["date"] == first_day, "level"].max()
            later = rows.loc[rows["date"] > first_day, "level"]
            if len(later) and later.max() > start:
                out.append(iso3)
        return sorted(out)
        ### END SOLUTION
    """)
    b.tests("a1-escalated-tests", 3, """
    \"\"\"escalated: a sorted list of iso3 codes.\"\"\"
    esc = escalated(responses, SCANDAL_START)
    assert isinstance(esc, list), f"return a list, not {type(esc).__name__}"
    assert esc == sorted(esc), "sort the list"
    assert set(esc) <= set(responses["iso3"].astype(str)), "return iso3 codes from the data"
    ### BEGIN HIDDEN TESTS
    assert "GBR" in esc and "IND" not in esc
    assert esc == ["CAN", "EUU", "GBR", "MYS"]
    _toy = pd.DataFrame({
        "iso3": ["AAA", "AAA", "BBB", "BBB", "CCC", "CCC", "DDD"],
        "date": pd.to_datetime(["2026-01-01", "2026-01-05", "2026-01-01", "2026-01-01", "2026-01-02", "2026-01-09",
                                "2026-01-03"]),
        "action_type": ["statement", "fine", "statement", "investigation", "access_block", "statement", "fine"],
    })
    assert escalated(_toy, pd.Timestamp("2026-01-01")) == ["AAA"]
    assert escalated(_toy, pd.Timestamp("2026-01-02")) == []
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 5: binding or not? (3 points)

    Lawyers ask first what an act *does* in law. Classify each act below with one of the five values of the
    `legal_effect` column of `responses.csv` (its definitions are in `datasets/grok-2026/datapackage.json`):
    `"binding_measure"` (imposes an obligation or a sanction on X or xAI), `"formal_step"` (a regulator,
    prosecutor or court opens or conducts a procedure under its powers), `"non_binding"` (a statement, letter,
    recommendation or warning), `"law"` (an enacted law) or `"legislative_step"` (a vote or bill that is not yet
    law). Some acts are not in the data set: reason from what the act is.
    """)
    b.answer("a1-legal-effect", """
    LEGAL_EFFECT = {
        "MeitY's notice of 2 January 2026 ordering X to remove obscene Grok content": ...,
        "three US senators' letter asking Apple and Google to remove the X app": ...,
        "the European Parliament's vote of 26 March 2026 on the AI Act amendment": ...,
        "California's cease-and-desist letter to xAI of 16 January 2026": ...,
        "Ofcom's formal investigation of X opened on 12 January 2026": ...,
        "the Amsterdam court's order of 26 March 2026 against xAI": ...,
        "the Commission's order of 8 January 2026 to retain all Grok documents": ...,
        "the Council's adoption of the AI Act amendment on 29 June 2026": ...,
        "a regulator's press statement that it will 'look into' X": ...,
        "an Irish High Court order blocking access to a service under DSA Art. 51(3)": ...,
    }
    ### BEGIN SOLUTION
    LEGAL_EFFECT = {
        "MeitY's notice of 2 January 2026 ordering X to remove obscene Grok content": "binding_measure",
        "three US senators' letter asking Apple and Google to remove the X app": "non_binding",
        "the European Parliament's vote of 26 March 2026 on the AI Act amendment": "legislative_step",
        "California's cease-and-desist letter to xAI of 16 January 2026": "non_binding",
        "Ofcom's formal investigation of X opened on 12 January 2026": "formal_step",
        "the Amsterdam court's order of 26 March 2026 against xAI": "binding_measure",
        "the Commission's order of 8 January 2026 to retain all Grok documents": "binding_measure",
        "the Council's adoption of the AI Act amendment on 29 June 2026": "law",
        "a regulator's press statement that it will 'look into' X": "non_binding",
        "an Irish High Court order blocking access to a service under DSA Art. 51(3)": "binding_measure",
    }
    ### END SOLUTION
    """)
    b.tests("a1-legal-effect-tests", 3, """
    \"\"\"LEGAL_EFFECT: one of the five values for every act (the answers are checked when your work is graded).\"\"\"
    _allowed = {"binding_measure", "formal_step", "non_binding", "law", "legislative_step"}
    assert isinstance(LEGAL_EFFECT, dict) and len(LEGAL_EFFECT) == 10, "keep the ten acts as keys"
    _bad = {k: v for k, v in LEGAL_EFFECT.items() if v not in _allowed}
    assert not _bad, f"use one of {sorted(_allowed)} for: {list(_bad)}"
    ### BEGIN HIDDEN TESTS
    _want = ["binding_measure", "non_binding", "legislative_step", "non_binding", "formal_step", "binding_measure",
             "binding_measure", "law", "non_binding", "binding_measure"]
    _got = list(LEGAL_EFFECT.values())
    assert _got == _want, f"{sum(a == b for a, b in zip(_got, _want, strict=True))} of 10 right"
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 6: law in force on 15 January 2026? (2 points)

    For each rule below, say whether it was **law in force and applicable** on 15 January 2026, when the Grok images
    were at their peak (`True` or `False`). Use the lessons and `datasets/legal/penalty_regimes.csv`: a law that
    was voted, adopted or published but applies only from a later date was not yet applicable.
    """)
    b.answer("a1-in-force", """
    IN_FORCE_15_JAN_2026 = {
        "DSA Arts. 34-35 (risk assessment and mitigation by very large platforms)": ...,
        "AI Act Art. 50 (telling people that content is artificially generated)": ...,
        "the AI Act's ban on AI systems generating non-consensual intimate images": ...,
        "the UK offence of creating a purported intimate image without consent": ...,
        "the TAKE IT DOWN Act's 48-hour removal duty for platforms": ...,
        "France's Code pénal art. 226-8-1 (non-consensual sexual montages)": ...,
        "India's IT Act s. 79 (safe harbour for intermediaries)": ...,
        "the UK Online Safety Act's illegal-content duties": ...,
    }
    ### BEGIN SOLUTION
    IN_FORCE_15_JAN_2026 = {
        "DSA Arts. 34-35 (risk assessment and mitigation by very large platforms)": True,
        "AI Act Art. 50 (telling people that content is artificially generated)": False,
        "the AI Act's ban on AI systems generating non-consensual intimate images": False,
        "the UK offence of creating a purported intimate image without consent": False,
        "the TAKE IT DOWN Act's 48-hour removal duty for platforms": False,
        "France's Code pénal art. 226-8-1 (non-consensual sexual montages)": True,
        "India's IT Act s. 79 (safe harbour for intermediaries)": True,
        "the UK Online Safety Act's illegal-content duties": True,
    }
    ### END SOLUTION
    """)
    b.tests("a1-in-force-tests", 2, """
    \"\"\"IN_FORCE_15_JAN_2026: True or False for each of the eight rules.\"\"\"
    assert isinstance(IN_FORCE_15_JAN_2026, dict) and len(IN_FORCE_15_JAN_2026) == 8, "keep the eight rules as keys"
    assert all(isinstance(v, bool) for v in IN_FORCE_15_JAN_2026.values()), "answer True or False for every rule"
    ### BEGIN HIDDEN TESTS
    assert list(IN_FORCE_15_JAN_2026.values()) == [True, False, False, False, False, True, True, True]
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 7: is faster better? (4 points, graded by hand)

    In **150-250 words**: give two reasons why the number of days to a first response (Question 3) is a weak
    measure of how effective a regulator was. Use at least two rows of the data (name the jurisdiction, date and
    action type). Then propose one better measure this data set could support, and say what it would still miss.
    """)
    b.manual("a1-written", 4, """
    A model answer (replaced by "YOUR ANSWER HERE" for students). Speed rewards cheap actions: India's first
    action (2 Jan, a content removal order) came two days after the first report, while the UK's first step
    (5 Jan) was only an information request and formal proceedings followed on 12 Jan. A statement (e.g. Germany,
    6 Jan) counts as fast but compels nothing. Second, powers differ: the EU had to open DSA formal proceedings
    (26 Jan) with procedural safeguards, so a later date can reflect due process rather than slowness. A better
    measure is the time to the first *binding* measure or formal step, which the `legal_effect` column supports; it
    still misses whether the step changed X's behaviour, how much content stayed online, and actions the data set
    does not record.
    """)
    b.md("""
    ## Sources

    Every row of the data sets is cited in `datasets/grok-2026/citations.csv`: who said it (the original publisher),
    the kind of source and the page read. `aireg.sources.citation_table(resource="responses")` lists them.
    """)
    return b


# ---------------------------------------------------------------------------------------------------------------
def a2() -> Book:
    b = Book("a2-penalties")
    b.md("""
    # Assignment 2: the DSA penalty arithmetic

    **Learning objectives.** After this assignment you can
    1. turn a legal ceiling ("up to 6 % of worldwide annual turnover") into a function whose parameters are data;
    2. compute periodic penalty payments from an *average daily* turnover, and say what they are for;
    3. compare the EU Digital Services Act with the UK Online Safety Act (percentage vs. "greater of" floor);
    4. find the financial year a ceiling refers to, and who decides each enforcement tool;
    5. explain why the turnover that counts, and the currency, change the answer.

    **Time needed.** 30-40 minutes. **Prerequisites.** Lesson 03 (DSA enforcement) and Python functions.
    **Points.** 21 (17 autograded, 4 graded by hand).
    """)
    b.md(CONTENT_NOTE)
    b.md(HOW_TO)
    b.md("""
    ## The data

    Every ceiling is a row of `aireg.load_penalty_regimes()` (from `datasets/legal/penalty_regimes.csv`); never
    type a rate into your code, read it from the row. The three rows you need:
    - `dsa_74_1`: DSA Art. 74(1), fines up to 6 % of worldwide annual turnover (the preceding financial year);
    - `dsa_76`: DSA Art. 76(1), periodic penalty payments up to 5 % of **average daily** worldwide turnover, per day;
    - `uk_osa_fine`: Online Safety Act, the **greater of** GBP 18 million or 10 % of qualifying worldwide revenue.

    `combine` says how `rate` and `fixed_amount` combine: `rate_only`, `greater_of` or `fixed_only`; `none` means
    the tool has no monetary ceiling. `per` is `once` for a fine and `day` for a periodic penalty.
    """)
    b.code("""
    import math

    import pandas as pd

    import aireg

    regimes = aireg.load_penalty_regimes().set_index("regime_id")
    figures = aireg.load_company_figures().set_index("figure_id")
    regimes.loc[["dsa_74_1", "dsa_76", "uk_osa_fine"], ["article", "tool", "rate", "fixed_amount", "currency",
                                                      "combine", "per"]]
    """)
    b.md("""
    ## Question 1: the fine ceiling (3 points)

    Write `fine_ceiling(turnover, regime)` where `regime` is one row of `regimes` (a Series). Return the maximum
    fine in the regime's currency: `rate × turnover` for `rate_only`, the larger of that and `fixed_amount` for
    `greater_of`, `fixed_amount` for `fixed_only`. Raise `ValueError` for a negative turnover or a regime whose
    `combine` is anything else.
    """)
    b.answer("a2-fine-ceiling", """
    def fine_ceiling(turnover: float, regime: pd.Series) -> float:
        \"\"\"Maximum fine for a provider with this turnover under `regime` (a penalty_regimes row).\"\"\"
        ### BEGIN SOLUTION
        if turnover < 0:
            raise ValueError("turnover must be zero or positive")
        combine = regime["combine"]
        if combine == "rate_only":
            return float(regime["rate"] * turnover)
        if combine == "greater_of":
            return float(max(regime["rate"] * turnover, regime["fixed_amount"]))
        if combine == "fixed_only":
            return float(regime["fixed_amount"])
        raise ValueError(f"regime {regime.name} has no monetary ceiling (combine={combine})")
        ### END SOLUTION
    """)
    b.tests("a2-fine-ceiling-tests", 3, """
    \"\"\"fine_ceiling reads rate, fixed amount and combine from the row.\"\"\"
    dsa, uk = regimes.loc["dsa_74_1"], regimes.loc["uk_osa_fine"]
    got = fine_ceiling(1e9, dsa)
    assert math.isclose(got, dsa["rate"] * 1e9), f"DSA Art. 74(1) on 1bn turnover: rate x turnover, got {got}"
    assert math.isclose(fine_ceiling(1e8, uk), uk["fixed_amount"]), "UK: below the floor, the fixed amount applies"
    assert math.isclose(fine_ceiling(1e10, uk), uk["rate"] * 1e10), "UK: above the floor, the rate applies"
    try:
        fine_ceiling(-1.0, dsa)
    except ValueError:
        pass
    else:
        raise AssertionError("a negative turnover should raise ValueError")
    ### BEGIN HIDDEN TESTS
    for _rid, _t in [("gdpr_83_5", 1e8), ("gdpr_83_5", 1e11), ("ai_act_99_3", 2e8), ("dsa_74_2", 3.3e9)]:
        _r = regimes.loc[_rid]
        _want = _r["rate"] * _t if _r["combine"] == "rate_only" else max(_r["rate"] * _t, _r["fixed_amount"])
        assert math.isclose(fine_ceiling(_t, _r), _want), _rid
    _fake = pd.Series({"rate": 0.2, "fixed_amount": 5.0, "combine": "greater_of"}, name="fake")
    assert math.isclose(fine_ceiling(100.0, _fake), 20.0)
    assert math.isclose(fine_ceiling(0.0, regimes.loc["us_take_it_down_48h"]), 53088.0)
    for _rid in ["dsa_70", "uk_osa_bdm"]:
        try:
            fine_ceiling(1e9, regimes.loc[_rid])
        except ValueError:
            pass
        else:
            raise AssertionError(_rid)
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 2: periodic penalty payments (3 points)

    Under DSA Art. 76(1) the Commission may impose up to 5 % of the **average daily** turnover *per day*, counted
    from a date set in its decision until the provider complies. These payments are coercive: they exist to make the
    provider comply with a decision, and the Commission may fix a lower definitive amount once it does (Art. 76(2)).
    Write `periodic_penalty_ceiling(annual_turnover, days, regime)`: the average daily turnover is
    `annual_turnover / 365`; return `rate × average daily turnover × days`. Raise `ValueError` if `days` is
    negative or if the regime's `per` is not `"day"`.
    """)
    b.answer("a2-periodic", """
    def periodic_penalty_ceiling(annual_turnover: float, days: float, regime: pd.Series) -> float:
        \"\"\"Maximum periodic penalty payments over `days` days (DSA Art. 76(1) style: % of average daily turnover).\"\"\"
        ### BEGIN SOLUTION
        if days < 0:
            raise ValueError("days must be zero or positive")
        if regime["per"] != "day":
            raise ValueError(f"regime {regime.name} is not a daily penalty (per={regime['per']})")
        return float(regime["rate"] * annual_turnover / 365 * days)
        ### END SOLUTION
    """)
    b.tests("a2-periodic-tests", 3, """
    \"\"\"periodic_penalty_ceiling: rate x (annual turnover / 365) x days.\"\"\"
    p = regimes.loc["dsa_76"]
    got = periodic_penalty_ceiling(365e6, 1, p)
    assert math.isclose(got, p["rate"] * 1e6), f"one day on 365m turnover: rate x 1m, got {got}"
    assert math.isclose(periodic_penalty_ceiling(365e6, 10, p), 10 * got), "ten days cost ten times one day"
    try:
        periodic_penalty_ceiling(1e9, -1, p)
    except ValueError:
        pass
    else:
        raise AssertionError("negative days should raise ValueError")
    ### BEGIN HIDDEN TESTS
    _q = regimes.loc["dsa_52_4"]
    assert math.isclose(periodic_penalty_ceiling(7.3e9, 30, _q), _q["rate"] * 7.3e9 / 365 * 30)
    _fake = pd.Series({"rate": 0.5, "per": "day"}, name="fake")
    assert math.isclose(periodic_penalty_ceiling(730.0, 3, _fake), 3.0)
    assert periodic_penalty_ceiling(1e9, 0, p) == 0
    try:
        periodic_penalty_ceiling(1e9, 5, regimes.loc["dsa_74_1"])
    except ValueError:
        pass
    else:
        raise AssertionError("a one-off fine is not a daily penalty")
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 3: what can a periodic penalty compel? (2 points)

    Periodic penalty payments are not a second fine. Art. 76(1)(a)-(e) lists the decisions they can compel the
    provider to comply with. For each item below, say whether a periodic penalty under Art. 76(1) can be used to
    compel it (`True` or `False`).
    """)
    b.answer("a2-periodic-purpose", """
    COMPELLABLE = {
        "supplying correct information required by a decision under Art. 67": ...,
        "answering a simple request for information (not a decision)": ...,
        "submitting to an inspection ordered by decision under Art. 69": ...,
        "complying with interim measures ordered under Art. 70": ...,
        "complying with commitments made binding under Art. 71": ...,
        "complying with a non-compliance decision, including an Art. 75 action plan": ...,
        "paying a fine already imposed under Art. 74": ...,
        "accepting the opening of proceedings under Art. 66": ...,
    }
    ### BEGIN SOLUTION
    COMPELLABLE = {
        "supplying correct information required by a decision under Art. 67": True,
        "answering a simple request for information (not a decision)": False,
        "submitting to an inspection ordered by decision under Art. 69": True,
        "complying with interim measures ordered under Art. 70": True,
        "complying with commitments made binding under Art. 71": True,
        "complying with a non-compliance decision, including an Art. 75 action plan": True,
        "paying a fine already imposed under Art. 74": False,
        "accepting the opening of proceedings under Art. 66": False,
    }
    ### END SOLUTION
    """)
    b.tests("a2-periodic-purpose-tests", 2, """
    \"\"\"COMPELLABLE: True or False for each of the eight items.\"\"\"
    assert isinstance(COMPELLABLE, dict) and len(COMPELLABLE) == 8, "keep the eight items as keys"
    assert all(isinstance(v, bool) for v in COMPELLABLE.values()), "answer True or False for every item"
    ### BEGIN HIDDEN TESTS
    assert list(COMPELLABLE.values()) == [True, False, True, True, True, True, False, False]
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 4: where the UK floor bites (2 points)

    The UK ceiling is the **greater of** a fixed amount and a rate. Write `floor_breakeven(regime)`: the turnover
    below which the fixed amount is the larger of the two. Raise `ValueError` unless `combine` is `greater_of`.
    """)
    b.answer("a2-breakeven", """
    def floor_breakeven(regime: pd.Series) -> float:
        \"\"\"Turnover at which rate x turnover equals the fixed amount of a 'greater_of' regime.\"\"\"
        ### BEGIN SOLUTION
        if regime["combine"] != "greater_of":
            raise ValueError(f"regime {regime.name} has no fixed floor (combine={regime['combine']})")
        return float(regime["fixed_amount"] / regime["rate"])
        ### END SOLUTION
    """)
    b.tests("a2-breakeven-tests", 2, """
    \"\"\"floor_breakeven: below it the fixed amount binds, above it the rate.\"\"\"
    uk = regimes.loc["uk_osa_fine"]
    b = floor_breakeven(uk)
    assert fine_ceiling(0.99 * b, uk) == uk["fixed_amount"], "just below the break-even the fixed amount applies"
    assert fine_ceiling(1.01 * b, uk) > uk["fixed_amount"], "just above it the rate gives more"
    ### BEGIN HIDDEN TESTS
    for _rid in ["gdpr_83_4", "gdpr_83_5", "ai_act_99_5"]:
        _r = regimes.loc[_rid]
        assert math.isclose(floor_breakeven(_r), _r["fixed_amount"] / _r["rate"]), _rid
    try:
        floor_breakeven(regimes.loc["dsa_74_1"])
    except ValueError:
        pass
    else:
        raise AssertionError("dsa_74_1 has no floor")
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 5: scenarios (2 points)

    Write `scenario_table(turnovers, days, gbp_per_eur, regimes)`. `turnovers` maps a scenario name to a
    worldwide annual turnover **in EUR**. Return a DataFrame indexed by scenario name with the columns
    `turnover_eur`, `dsa_fine_eur` (`dsa_74_1`), `dsa_periodic_eur` (`dsa_76` over `days` days) and `uk_fine_gbp`
    (`uk_osa_fine`, on the turnover converted to GBP with `gbp_per_eur`). The exchange rate is an argument on
    purpose: it is not in the data sets, and the tests use other values.
    """)
    b.answer("a2-scenarios", """
    def scenario_table(turnovers: dict, days: float, gbp_per_eur: float, regimes: pd.DataFrame) -> pd.DataFrame:
        \"\"\"Ceilings for several turnover scenarios under the DSA (EUR) and the UK Online Safety Act (GBP).\"\"\"
        ### BEGIN SOLUTION
        rows = {}
        for name, t in turnovers.items():
            rows[name] = {
                "turnover_eur": t,
                "dsa_fine_eur": fine_ceiling(t, regimes.loc["dsa_74_1"]),
                "dsa_periodic_eur": periodic_penalty_ceiling(t, days, regimes.loc["dsa_76"]),
                "uk_fine_gbp": fine_ceiling(t * gbp_per_eur, regimes.loc["uk_osa_fine"]),
            }
        return pd.DataFrame.from_dict(rows, orient="index")
        ### END SOLUTION
    """)
    b.code("""
    # Illustrative scenarios: round turnovers and an exchange rate you choose (neither comes from the data sets).
    scenario_table({"small platform": 1e8, "X-sized (about 2.5bn)": 2.5e9, "very large": 5e10},
                   days=30, gbp_per_eur=0.85, regimes=regimes)
    """)
    b.tests("a2-scenarios-tests", 2, """
    \"\"\"scenario_table: one row per scenario, four columns.\"\"\"
    t = scenario_table({"a": 1e9, "b": 2e9}, 10, 0.5, regimes)
    assert list(t.index) == ["a", "b"], "index the table by scenario name"
    assert list(t.columns) == ["turnover_eur", "dsa_fine_eur", "dsa_periodic_eur", "uk_fine_gbp"], list(t.columns)
    assert math.isclose(t.loc["a", "dsa_fine_eur"], fine_ceiling(1e9, regimes.loc["dsa_74_1"])), "use dsa_74_1"
    ### BEGIN HIDDEN TESTS
    _t = scenario_table({"x": 4e8, "y": 1e7}, 20, 0.8, regimes)
    assert math.isclose(_t.loc["x", "dsa_periodic_eur"], periodic_penalty_ceiling(4e8, 20, regimes.loc["dsa_76"]))
    assert math.isclose(_t.loc["x", "uk_fine_gbp"], fine_ceiling(3.2e8, regimes.loc["uk_osa_fine"]))
    assert math.isclose(_t.loc["y", "uk_fine_gbp"], regimes.loc["uk_osa_fine", "fixed_amount"])
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 6: which financial year? (2 points)

    Art. 74(1) caps a fine by the turnover "in the preceding financial year": the last full financial year before the
    one in which the decision is taken. Write `preceding_financial_year(decision_date, year_end_month=12,
    year_end_day=31)` returning the **calendar year in which that preceding financial year ends**. Financial years
    end on `year_end_month`/`year_end_day` each year. Examples: a decision on 5 December 2025 with calendar-year
    accounts looks at the year ending 31 December 2024, so the answer is 2024; with years ending 30 June, the
    financial year running at the decision ends on 30 June 2026, the preceding one on 30 June 2025, so the answer is
    2025. A decision taken *on* the last day of a financial year is still within it.
    """)
    b.answer("a2-preceding-year", """
    def preceding_financial_year(decision_date, year_end_month: int = 12, year_end_day: int = 31) -> int:
        \"\"\"Calendar year in which the financial year preceding the one of `decision_date` ends.\"\"\"
        ### BEGIN SOLUTION
        d = pd.Timestamp(decision_date)
        end_this_year = pd.Timestamp(year=d.year, month=year_end_month, day=year_end_day)
        current_end = d.year if d <= end_this_year else d.year + 1
        return current_end - 1
        ### END SOLUTION
    """)
    b.tests("a2-preceding-year-tests", 2, """
    \"\"\"preceding_financial_year: the year in which the last full financial year before the decision ends.\"\"\"
    got = preceding_financial_year("2025-12-05")
    assert isinstance(got, int), f"return an int, not {type(got).__name__}"
    assert got == 2024, f"a decision of 5 December 2025 (calendar-year accounts) looks at 2024, not {got}"
    ### BEGIN HIDDEN TESTS
    assert preceding_financial_year("2025-12-05", 6, 30) == 2025
    assert preceding_financial_year("2026-01-01") == 2025
    assert preceding_financial_year("2025-12-31") == 2024
    assert preceding_financial_year("2026-06-30", 6, 30) == 2025
    assert preceding_financial_year("2026-07-01", 6, 30) == 2026
    assert preceding_financial_year(pd.Timestamp("2024-03-15"), 3, 31) == 2023
    assert preceding_financial_year("2024-04-01", 3, 31) == 2024
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 7: who decides? (3 points)

    For each enforcement tool, name who takes the decision, using one of these exact strings: `"European
    Commission"`, `"national court"`, `"Ofcom"`, `"national data protection authority"`, `"AI Office"`,
    `"government ministry"`. Read the `decided_by` column of `penalty_regimes.csv` and lesson 03.
    """)
    b.answer("a2-who-decides", """
    WHO_DECIDES = {
        "a fine under DSA Art. 74(1)": ...,
        "periodic penalty payments under DSA Art. 76": ...,
        "interim measures under DSA Art. 70": ...,
        "making commitments binding under DSA Art. 71": ...,
        "a temporary restriction of access under DSA Art. 51(3)": ...,
        "a penalty under the UK Online Safety Act, Sch. 13": ...,
        "an access restriction order under the UK Online Safety Act, s. 146": ...,
        "a GDPR fine on X's Irish-established provider": ...,
        "supervising Grok under the AI Act (Art. 75(1))": ...,
        "Indonesia's block of Grok in January 2026": ...,
    }
    ### BEGIN SOLUTION
    WHO_DECIDES = {
        "a fine under DSA Art. 74(1)": "European Commission",
        "periodic penalty payments under DSA Art. 76": "European Commission",
        "interim measures under DSA Art. 70": "European Commission",
        "making commitments binding under DSA Art. 71": "European Commission",
        "a temporary restriction of access under DSA Art. 51(3)": "national court",
        "a penalty under the UK Online Safety Act, Sch. 13": "Ofcom",
        "an access restriction order under the UK Online Safety Act, s. 146": "national court",
        "a GDPR fine on X's Irish-established provider": "national data protection authority",
        "supervising Grok under the AI Act (Art. 75(1))": "AI Office",
        "Indonesia's block of Grok in January 2026": "government ministry",
    }
    ### END SOLUTION
    """)
    b.tests("a2-who-decides-tests", 3, """
    \"\"\"WHO_DECIDES: one of the six answers for each of the ten tools.\"\"\"
    _allowed = {"European Commission", "national court", "Ofcom", "national data protection authority", "AI Office",
                "government ministry"}
    assert isinstance(WHO_DECIDES, dict) and len(WHO_DECIDES) == 10, "keep the ten tools as keys"
    _bad = [k for k, v in WHO_DECIDES.items() if v not in _allowed]
    assert not _bad, f"use one of the six exact strings for: {_bad}"
    ### BEGIN HIDDEN TESTS
    _want = ["European Commission"] * 4 + ["national court", "Ofcom", "national court",
                                           "national data protection authority", "AI Office", "government ministry"]
    _got = list(WHO_DECIDES.values())
    assert _got == _want, f"{sum(a == b for a, b in zip(_got, _want, strict=True))} of 10 right"
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 8: the X decision against the ceiling (4 points, graded by hand)

    On 5 December 2025 the Commission fined X EUR 120 million (see the `dsa_74_1` summary). Art. 74(1) caps a fine
    at 6 % of the provider's worldwide annual turnover *in the preceding financial year*. In **150-250 words**:
    (a) what share of that ceiling the fine was, using X's revenue for the right year (`x_revenue_2024`, at its
    central and low values) converted with the kit's own exchange rate (`eur_usd_rate_2025_12_05`); say that the
    figures are USD estimates and show the conversion; (b) why the answer depends on which legal entity counts as
    "the provider", and how the GDPR's "undertaking" differs; (c) one way the UK regime differs.
    """)
    b.manual("a2-written", 4, """
    A model answer. A decision of December 2025 looks at the preceding financial year, 2024. X's 2024 revenue was
    about USD 2.7bn (contested, unaudited, and including affiliate xAI income); at the kit's rate of 1.1667 USD per
    EUR that is about EUR 2.31bn, so the 6 % ceiling is about EUR 139m and EUR 120m is about 86 % of it. At the low
    estimate (USD 2.6bn, about EUR 2.23bn) the ceiling is about EUR 134m and the fine about 90 %. The DSA counts the
    turnover of the provider itself ("its" turnover), so whether X alone or a wider group is the provider changes
    the ceiling; under the GDPR, by contrast, the Court of Justice reads "undertaking" as the whole economic unit,
    so a group's turnover sets the cap (C-807/21 Deutsche Wohnen; C-383/23 ILVA). The UK ceiling is the greater of
    GBP 18m and 10 % of qualifying worldwide revenue, decided by Ofcom.
    """)
    b.md("""
    ## Sources

    `datasets/legal/penalty_regimes.csv` (the `article` column; each row cites its official text in
    `datasets/legal/citations.csv`) and `datasets/companies/figures.csv` (with its notes on contested figures and its
    citations in `datasets/companies/citations.csv`).
    """)
    return b


# ---------------------------------------------------------------------------------------------------------------
def a3() -> Book:
    b = Book("a3-evidence")
    b.md("""
    # Assignment 3: evidence and uncertainty

    **Learning objectives.** After this assignment you can
    1. recover counts from published shares and see the effect of rounding;
    2. compute a Wilson confidence interval for a proportion;
    3. separate sampling uncertainty from classifier error and selection bias;
    4. state what the law requires before a regulator may act on such evidence (DSA interim measures) and which
       tool obtains more evidence;
    5. write a short, evidence-based policy memo.

    **Time needed.** 35-40 minutes. **Prerequisites.** Lesson 01 (section 2, the evidence) and proportions.
    **Points.** 24 (15 autograded, 9 graded by hand).
    """)
    b.md(CONTENT_NOTE)
    b.md(HOW_TO)
    b.md("""
    ## The data

    `aireg.load_evidence()` holds the published studies of Grok's images (AI Forensics, CCDH, the New York Times,
    ...). `share` is a published proportion, `sample_size` the number of images or posts studied, `base` what the
    share is a share *of*, and the `*_qualifier` columns say whether a number is exact or approximate.
    """)
    b.code("""
    import math

    import pandas as pd

    import aireg

    evidence = aireg.load_evidence().set_index("evidence_id")
    evidence[["organisation", "measure", "base", "share", "share_qualifier", "sample_size", "count", "count_qualifier"]]
    """)
    b.md("""
    ## Question 1: from share to count (2 points)

    Write `implied_count(share, sample_size)`: the whole number of items a share implies (round to the nearest
    integer). Raise `ValueError` if the share is outside [0, 1] or the sample size is not positive.
    """)
    b.answer("a3-implied-count", """
    def implied_count(share: float, sample_size: int) -> int:
        \"\"\"Number of items that a published share of a sample implies.\"\"\"
        ### BEGIN SOLUTION
        if not 0 <= share <= 1:
            raise ValueError("share must be between 0 and 1")
        if sample_size <= 0:
            raise ValueError("sample_size must be positive")
        return int(round(share * sample_size))
        ### END SOLUTION
    """)
    b.tests("a3-implied-count-tests", 2, """
    \"\"\"implied_count: round(share x sample size), with checks.\"\"\"
    row = evidence.loc["ccdh-sexualised-share"]
    got = implied_count(row["share"], row["sample_size"])
    assert isinstance(got, int), f"return an int, not {type(got).__name__}"
    assert got == round(row["share"] * row["sample_size"]), f"0.65 of 20,000 is 13,000, got {got}"
    for bad in [(1.5, 100), (0.5, 0)]:
        try:
            implied_count(*bad)
        except ValueError:
            pass
        else:
            raise AssertionError(f"implied_count{bad} should raise ValueError")
    ### BEGIN HIDDEN TESTS
    assert implied_count(0.005, 20000) == 100
    assert implied_count(0.53, 20000) == 10600
    assert implied_count(0.0, 7) == 0 and implied_count(1.0, 7) == 7
    try:
        implied_count(-0.1, 10)
    except ValueError:
        pass
    else:
        raise AssertionError("negative share")
    ### END HIDDEN TESTS
    """)
    b.md("""
    CCDH published a share of "about 65 %" of its 20,000 sampled images: about 13,000 images, but the share is
    rounded, so the count is too (Question 3).

    ## Question 2: a confidence interval (3 points)

    Write `wilson_interval(count, n, z=1.96)` returning `(low, high)`, the Wilson score interval for a
    proportion:
    centre $= \\dfrac{p + z^2/(2n)}{1 + z^2/n}$, half-width $= \\dfrac{z}{1 + z^2/n}\\sqrt{\\dfrac{p(1-p)}{n} +
    \\dfrac{z^2}{4n^2}}$ with $p = \\text{count}/n$. Raise `ValueError` if `n <= 0` or `count` is not in `[0, n]`.
    """)
    b.answer("a3-wilson", """
    def wilson_interval(count: int, n: int, z: float = 1.96) -> tuple[float, float]:
        \"\"\"Wilson score interval (low, high) for count successes out of n.\"\"\"
        ### BEGIN SOLUTION
        if n <= 0 or not 0 <= count <= n:
            raise ValueError("need n > 0 and 0 <= count <= n")
        p = count / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z / denom * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        return (max(0.0, centre - half), min(1.0, centre + half))
        ### END SOLUTION
    """)
    b.tests("a3-wilson-tests", 3, """
    \"\"\"wilson_interval: contains the observed share, stays within [0, 1].\"\"\"
    low, high = wilson_interval(13000, 20000)
    assert 0 <= low < 13000 / 20000 < high <= 1, f"the interval ({low}, {high}) should contain 13000/20000"
    assert high - low < 0.02, "with 20,000 images the 95% interval is narrow (about +/- 0.7 points)"
    low0, high0 = wilson_interval(0, 50)
    assert low0 == 0 and 0 < high0 < 0.1, f"0 of 50: the interval starts at 0 but is not empty, got {(low0, high0)}"
    ### BEGIN HIDDEN TESTS
    def _w(k, n, z):
        p = k / n
        d = 1 + z * z / n
        c = (p + z * z / (2 * n)) / d
        h = z / d * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return c - h, c + h
    for _k, _n, _z in [(100, 20000, 1.96), (3, 10, 1.96), (7, 7, 2.576), (450, 1000, 1.645)]:
        _got, _want = wilson_interval(_k, _n, _z), _w(_k, _n, _z)
        assert math.isclose(_got[0], max(0.0, _want[0]), abs_tol=1e-9) and math.isclose(_got[1], min(1.0, _want[1]), abs_tol=1e-9)
    assert wilson_interval(5, 10, 2.576)[1] > wilson_interval(5, 10)[1]
    for _bad in [(5, 0), (11, 10), (-1, 10)]:
        try:
            wilson_interval(*_bad)
        except ValueError:
            pass
        else:
            raise AssertionError(_bad)
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 3: what rounding hides (2 points)

    A share published as 0.65 ("about 65 %") could be anything that rounds to it. Write
    `rounding_range(share, decimals)` returning `(low, high)` = share ± half a unit in the last reported decimal,
    clipped to [0, 1]. Example: `rounding_range(0.65, 2)` is `(0.645, 0.655)`.
    """)
    b.answer("a3-rounding", """
    def rounding_range(share: float, decimals: int) -> tuple[float, float]:
        \"\"\"Interval of true values that round to `share` at `decimals` decimal places.\"\"\"
        ### BEGIN SOLUTION
        half = 0.5 * 10 ** (-decimals)
        return (max(0.0, share - half), min(1.0, share + half))
        ### END SOLUTION
    """)
    b.tests("a3-rounding-tests", 2, """
    \"\"\"rounding_range: half a unit either side.\"\"\"
    low, high = rounding_range(0.65, 2)
    assert math.isclose(low, 0.645) and math.isclose(high, 0.655), f"expected (0.645, 0.655), got {(low, high)}"
    ### BEGIN HIDDEN TESTS
    assert all(math.isclose(a, b) for a, b in zip(rounding_range(0.02, 2), (0.015, 0.025), strict=True))
    assert all(math.isclose(a, b) for a, b in zip(rounding_range(0.00505, 5), (0.005045, 0.005055), strict=True))
    assert rounding_range(0.0, 1)[0] == 0.0 and rounding_range(1.0, 1)[1] == 1.0
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 4: a table of intervals (3 points)

    Write `interval_table(frame, z=1.96)`: for every row of `frame` (indexed by `evidence_id`) that has both a
    `share` and a `sample_size` and whose `base` is `"all_images"`, compute `count` (with `implied_count`),
    `low` and `high` (with `wilson_interval`). Return a DataFrame indexed by `evidence_id` with the columns
    `share`, `sample_size`, `count`, `low`, `high`.
    """)
    b.answer("a3-table", """
    def interval_table(frame: pd.DataFrame, z: float = 1.96) -> pd.DataFrame:
        \"\"\"Implied counts and Wilson intervals for the shares of whole samples.\"\"\"
        ### BEGIN SOLUTION
        rows = {}
        usable = frame[frame["share"].notna() & frame["sample_size"].notna() & (frame["base"] == "all_images")]
        for eid, r in usable.iterrows():
            n = int(r["sample_size"])
            k = implied_count(float(r["share"]), n)
            low, high = wilson_interval(k, n, z)
            rows[eid] = {"share": float(r["share"]), "sample_size": n, "count": k, "low": low, "high": high}
        return pd.DataFrame.from_dict(rows, orient="index", columns=["share", "sample_size", "count", "low", "high"])
        ### END SOLUTION
    """)
    b.tests("a3-table-tests", 3, """
    \"\"\"interval_table: only whole-sample shares, five columns.\"\"\"
    t = interval_table(evidence)
    assert list(t.columns) == ["share", "sample_size", "count", "low", "high"], list(t.columns)
    assert "ccdh-sexualised-share" in t.index and "aif-minimal-attire" in t.index, "keep whole-sample shares"
    assert "aif-women" not in t.index, "aif-women is a share of minimal-attire images, not of all images"
    assert "ccdh-still-online" not in t.index, "rows without a sample size cannot give an interval"
    assert ((t["low"] <= t["share"]) & (t["share"] <= t["high"])).all(), "each interval contains its share"
    ### BEGIN HIDDEN TESTS
    _f = pd.DataFrame({"share": [0.5, 0.1, 0.3, None], "sample_size": [100, 1000, None, 50],
                       "base": ["all_images", "all_images", "all_images", "all_images"]},
                      index=pd.Index(["p", "q", "r", "s"], name="evidence_id")).astype(
                          {"share": "Float64", "sample_size": "Int64"})
    _t = interval_table(_f, z=2.576)
    assert sorted(_t.index) == ["p", "q"]
    assert int(_t.loc["q", "count"]) == 100
    assert all(math.isclose(a, b) for a, b in zip((_t.loc["p", "low"], _t.loc["p", "high"]), wilson_interval(50, 100, 2.576),
                                          strict=True))
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 5: what does the law require before interim measures? (3 points)

    A regulator reading your intervals may consider **interim measures** under DSA Art. 70. For each statement,
    say whether it is a condition the Commission must meet under Art. 70 (`True`) or not (`False`).
    """)
    b.answer("a3-interim-conditions", """
    ART_70_CONDITION = {
        "there are proceedings that may lead to a non-compliance decision": ...,
        "there is urgency due to the risk of serious damage for recipients of the service": ...,
        "there is a prima facie finding of an infringement": ...,
        "the infringement is proved beyond reasonable doubt": ...,
        "a national court has authorised the measures": ...,
        "the measures last no longer than four weeks": ...,
        "the provider agrees to the measures": ...,
    }
    ### BEGIN SOLUTION
    ART_70_CONDITION = {
        "there are proceedings that may lead to a non-compliance decision": True,
        "there is urgency due to the risk of serious damage for recipients of the service": True,
        "there is a prima facie finding of an infringement": True,
        "the infringement is proved beyond reasonable doubt": False,
        "a national court has authorised the measures": False,
        "the measures last no longer than four weeks": False,
        "the provider agrees to the measures": False,
    }
    ### END SOLUTION
    """)
    b.tests("a3-interim-conditions-tests", 3, """
    \"\"\"ART_70_CONDITION: True or False for each of the seven statements.\"\"\"
    assert isinstance(ART_70_CONDITION, dict) and len(ART_70_CONDITION) == 7, "keep the seven statements as keys"
    assert all(isinstance(v, bool) for v in ART_70_CONDITION.values()), "answer True or False for each"
    ### BEGIN HIDDEN TESTS
    assert list(ART_70_CONDITION.values()) == [True, True, True, False, False, False, False]
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 6: which tool gets the evidence? (2 points)

    For each need, name the DSA tool, using one of these exact strings: `"Art. 40"` (data access for vetted
    researchers), `"Art. 67"` (the Commission's request for information), `"Art. 69"` (the Commission's inspection),
    `"Art. 70"` (interim measures).
    """)
    b.answer("a3-evidence-tool", """
    EVIDENCE_TOOL = {
        "the Commission obtains Grok's generation logs from X during its proceedings": ...,
        "Commission officials examine X's classifier systems on site and ask staff to explain them": ...,
        "university researchers study systemic risks on X with platform data": ...,
        "the Commission orders X to switch off a feature while the proceedings continue": ...,
    }
    ### BEGIN SOLUTION
    EVIDENCE_TOOL = {
        "the Commission obtains Grok's generation logs from X during its proceedings": "Art. 67",
        "Commission officials examine X's classifier systems on site and ask staff to explain them": "Art. 69",
        "university researchers study systemic risks on X with platform data": "Art. 40",
        "the Commission orders X to switch off a feature while the proceedings continue": "Art. 70",
    }
    ### END SOLUTION
    """)
    b.tests("a3-evidence-tool-tests", 2, """
    \"\"\"EVIDENCE_TOOL: one of the four articles for each need.\"\"\"
    assert isinstance(EVIDENCE_TOOL, dict) and len(EVIDENCE_TOOL) == 4, "keep the four needs as keys"
    assert set(EVIDENCE_TOOL.values()) <= {"Art. 40", "Art. 67", "Art. 69", "Art. 70"}, "use the exact strings"
    ### BEGIN HIDDEN TESTS
    assert list(EVIDENCE_TOOL.values()) == ["Art. 67", "Art. 69", "Art. 40", "Art. 70"]
    ### END HIDDEN TESTS
    """)
    b.md("""
    ## Question 7: what a sample can and cannot show (3 points, graded by hand)

    In **100-150 words**: your intervals are narrow. Name three reasons why the *true* share of sexualised images
    Grok produced could still lie outside them (think about how the samples were drawn and who labelled the
    images: read the `sample_description` and `notes` columns).
    """)
    b.manual("a3-limits", 3, """
    A model answer. The Wilson interval covers only random sampling error. (1) Selection: AI Forensics sampled
    about 20,000 images from posts mentioning Grok over one week, CCDH 20,000 posts with images over eleven days;
    neither is a random sample of all Grok output, so the share may differ in other weeks or for images never
    posted. (2) Measurement: AI Forensics' labels come from an automated classifier (Gemini) whose errors are
    unknown; CCDH's "likely children" were judged by human reviewers; either way "appeared minor" is an estimate
    from appearance. (3) Reporting: shares are rounded, and sample sizes are approximate and given in different
    units (about 20,000 images drawn from about 50,000 posts).
    """)
    b.md("""
    ## Question 8: a policy memo (6 points, graded by hand)

    Write a **250-350 word** memo to a regulator deciding whether the evidence justifies urgent measures
    (e.g. DSA Art. 70 interim measures). Use at least two numbers from `interval_table` with their intervals,
    state what the evidence cannot show, and end with one concrete recommendation (including what further
    evidence the regulator should request from the platform).
    """)
    b.manual("a3-memo", 6, """
    A model answer outline: the problem (two independent studies measure different categories: CCDH found 65 % of
    20,000 sampled images sexualised, 95 % CI about 64-66 %; AI Forensics found 53 % of about 20,000 images
    showed minimal attire, a narrower category that is not the same as "sexualised"); the scale (NYT: at least
    1.8 million sexualised images of women in nine days); limits (non-random samples, classifier or reviewer
    labels, rounding); recommendation: interim measures under Art. 70 require a prima facie finding of
    infringement and urgency due to a risk of serious damage, which the evidence can support; request the
    platform's generation logs and classifier audits with a request for information (Art. 67) or an inspection
    (Art. 69). (Art. 40 gives vetted researchers data access; it is not the tool for proceedings.)
    """)
    b.md("""
    ## Sources

    `datasets/grok-2026/evidence.csv`; `datasets/grok-2026/citations.csv` names who published each study and where
    it was read (`aireg.sources.citation_table(resource="evidence")`).
    """)
    return b


BOOKS = [a1, a2, a3]


def main(argv: list[str]) -> int:
    for make in BOOKS:
        book = make()
        out = HERE / "source" / book.name / f"{book.name}.ipynb"
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(book.notebook(), out)
        print(f"wrote {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
