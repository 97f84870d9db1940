"""Cited facts: every constant the course teaches, with its source.

The facts live in ``energylab/data/sources.toml`` (read on first use, not at import). Each fact has an
id, a value and unit, a one-line description, the conditions under which it holds, a key into the
reference list, where in the source it is, the year it refers to, and a verification status::

    >>> from energylab import sources
    >>> fact = sources.get("gpt3_training_energy")
    >>> fact.q                      # the value as a pint quantity
    <Quantity(1287, 'megawatt_hour')>
    >>> fact.cite()
    'Patterson et al. 2021'

Status codes (as in the course's fact sheet): ``V-P`` checked against the primary source, ``V-S``
checked against a secondary source quoting it, ``D`` derived by arithmetic from checked values, ``M``
not checked (teach as approximate).

Every :func:`get` is remembered, so :func:`references` can list exactly the sources a notebook used.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping
import html
import tomllib
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["Fact", "Reference", "LazyAssumptions",
           "get", "value", "magnitude", "number", "table", "all_facts", "references", "reset_used", "STATUS"]

STATUS = {
    "V-P": "checked against the primary source",
    "V-S": "checked against a secondary source quoting the primary",
    "D": "derived by arithmetic from checked values",
    "M": "not independently checked; treat as approximate",
}


@dataclass(frozen=True)
class Reference:
    """One work in the reference list."""
    key: str
    authors: str
    year: int
    title: str
    venue: str
    url: str
    short: str

    def text(self) -> str:
        """Full citation as plain text."""
        return f"{self.authors} ({self.year}). {self.title}. {self.venue}. {self.url}"


@dataclass(frozen=True)
class Fact:
    """A cited value. ``q`` is the value as a quantity (an array of two for ranges)."""
    id: str
    value: object
    unit: str
    what: str
    ref: Reference
    where: str = ""
    conditions: str = ""
    year: int | None = None
    status: str = "M"
    facts_id: str = ""
    chapters: tuple = field(default=())
    note: str = ""

    @property
    def q(self):
        """The value as a pint quantity in the fact's unit."""
        from .units import Q_
        import numpy as np
        value = np.asarray(self.value, dtype=float) if isinstance(self.value, (list, tuple)) else self.value
        return Q_(value, self.unit)

    @property
    def is_range(self) -> bool:
        return isinstance(self.value, (list, tuple))

    def cite(self) -> str:
        """Short in-text citation, e.g. ``'Patterson et al. 2021'``."""
        return self.ref.short

    def text(self, unit: str | None = None, sig: int = 4) -> str:
        """Value with unit and citation for prose: ``'1,287 MWh (Patterson et al. 2021)'``."""
        from .units import fmt
        return f"{fmt(self.q, unit, sig=sig)} ({self.cite()})"

    def __str__(self) -> str:
        from .units import fmt
        where = f", {self.where}" if self.where else ""
        return f"{self.what}: {fmt(self.q, sig=4)} [{self.cite()}{where}; status {self.status}]"

    def _repr_html_(self) -> str:
        return html.escape(str(self))

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


_facts: dict[str, Fact] | None = None
_refs: dict[str, Reference] | None = None
_used: dict[str, None] = {}  # insertion-ordered set of fact ids read through get()


def _load() -> dict[str, Fact]:
    global _facts, _refs
    if _facts is None:
        raw = tomllib.loads(resources.files(__package__).joinpath("data/sources.toml").read_text("utf-8"))
        refs = {key: Reference(key=key, **entry) for key, entry in raw.pop("references").items()}
        facts = {}
        allowed = set(Fact.__dataclass_fields__) - {"id", "ref"} | {"ref"}
        for key, entry in raw.pop("facts").items():
            entry = dict(entry)
            unknown = set(entry) - allowed
            if unknown:
                raise ValueError(f"sources.toml: fact {key!r} has unknown field(s) {sorted(unknown)}; "
                                 f"allowed: {sorted(allowed)}")
            ref_key = entry.pop("ref")
            if ref_key not in refs:
                raise KeyError(f"fact {key!r} cites unknown reference {ref_key!r}")
            entry["chapters"] = tuple(entry.get("chapters", ()))
            facts[key] = Fact(id=key, ref=refs[ref_key], **entry)
        _refs, _facts = refs, facts
    return _facts


def all_facts() -> dict[str, Fact]:
    """Every fact in the registry, by id (does not mark them as used)."""
    return dict(_load())


def get(fact_id: str) -> Fact:
    """The fact with this id, remembered as used for :func:`references`.

    Raises
    ------
    KeyError
        Unknown id, with the closest known ids suggested.
    """
    facts = _load()
    if not isinstance(fact_id, str) or fact_id not in facts:
        close = difflib.get_close_matches(str(fact_id), facts, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"No fact with id {fact_id!r} in the sources registry.{hint}")
    _used[fact_id] = None
    return facts[fact_id]


def value(fact_id: str, unit=None):
    """A fact's value as a pint quantity, in ``unit`` when given (marks the fact as used).

    ``value("h100_tdp")`` → ``700 W``; ``value("h100_tdp", "kW")`` → ``0.7 kW``. The one accessor of
    the registry for code: :func:`number` is the same as a float.
    """
    q = get(fact_id).q
    return q.to(unit) if unit is not None else q


def magnitude(fact_id: str, unit=None):
    """A fact's magnitude (marked as used), in ``unit`` when given: a float, or a float array for a range."""
    import numpy as np
    q = value(fact_id, unit)
    return np.asarray(q.magnitude, dtype=float) if np.ndim(q.magnitude) else float(q.magnitude)


def number(fact_id: str, unit: str = "dimensionless") -> float:
    """A scalar fact as a plain float in ``unit`` (marks it as used): ``number("gpt3_n_gpus")`` → 10000.0."""
    return float(value(fact_id, unit).magnitude)


def table(*fact_ids: str) -> FactTable:
    """The given facts as a small table (value, what, source) for a notebook; marks them as used."""
    return FactTable([get(i) for i in fact_ids])


class FactTable:
    """Facts shown as a table in Jupyter (HTML) and as aligned lines in plain text."""

    def __init__(self, facts):
        self.facts = list(facts)

    def _rows(self):
        from .units import fmt
        return [(f.id, fmt(f.q, sig=4), f.what, f.cite() + (f", {f.where}" if f.where else "")) for f in self.facts]

    def __str__(self) -> str:
        rows = self._rows()
        width = max(len(r[1]) for r in rows)
        return "\n".join(f"{value.rjust(width)}  {what} [{cite}]" for _, value, what, cite in rows)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><td style='text-align:right'>{html.escape(value)}</td><td>{html.escape(what)}</td>"
                       f"<td>{html.escape(cite)}</td></tr>" for _, value, what, cite in self._rows())
        return ("<table><thead><tr><th>Value</th><th>What</th><th>Source</th></tr></thead>"
                f"<tbody>{body}</tbody></table>")


def reset_used() -> None:
    """Forget which facts were used (a notebook calls this in its setup cell)."""
    _used.clear()


def references(ids=None, chapter: str | None = None):
    """The reference list of the sources behind some facts, one entry per work.

    Parameters
    ----------
    ids : iterable of str, optional
        Fact ids; by default every fact read with :func:`get` since the last :func:`reset_used`.
    chapter : str, optional
        Instead, every fact tagged with this chapter number (e.g. ``"00"``).

    Returns
    -------
    ReferenceList
        Displays as a numbered list; ``str()`` gives plain text; ``.works`` lists the references.
    """
    facts = _load()
    if chapter is not None:
        chosen = [f for f in facts.values() if chapter in f.chapters]
    else:
        chosen = [facts[i] if i in facts else get(i) for i in (list(_used) if ids is None else ids)]
    works: dict[str, tuple[Reference, list[Fact]]] = {}
    for fact in chosen:
        works.setdefault(fact.ref.key, (fact.ref, []))[1].append(fact)
    ordered = sorted(works.values(), key=lambda item: (item[0].authors.lower(), item[0].year))
    return ReferenceList(ordered)


class ReferenceList:
    """A rendered reference list; displays as Markdown in Jupyter, plain text elsewhere."""

    def __init__(self, works):
        self.works = [ref for ref, _ in works]
        self._facts = {ref.key: facts for ref, facts in works}

    def __len__(self):
        return len(self.works)

    def __str__(self) -> str:
        return "\n".join(f"{i}. {ref.text()}" for i, ref in enumerate(self.works, 1))

    def _repr_markdown_(self) -> str:
        lines = []
        for i, ref in enumerate(self.works, 1):
            used = ", ".join(sorted({f.what for f in self._facts[ref.key]}))
            lines.append(f"{i}. {ref.authors} ({ref.year}). *{ref.title}*. {ref.venue}. "
                         f"<{ref.url}> — used for: {used}.")
        return "\n".join(lines) if lines else "*(no sources used)*"

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


class LazyAssumptions(Mapping):
    """A read-only mapping of course assumptions built on first use.

    Assumption strings quote registry values, and the registry is read only when needed (never at import), so
    the mapping calls ``builder()`` — which returns a dict — the first time it is read.
    """

    def __init__(self, builder):
        self._builder = builder
        self._data = None

    def _get(self) -> dict:
        if self._data is None:
            self._data = dict(self._builder())
        return self._data

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return f"LazyAssumptions({self._get()!r})"
