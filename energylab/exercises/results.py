"""What a check returns and how it looks: plain text (deterministic, compared by nbval) and HTML."""
from __future__ import annotations

import html
from dataclasses import dataclass

STATUSES = ("correct", "incorrect", "invalid", "unanswered")

_LOOK = {  # status → (symbol, heading, colour); colours from the Okabe–Ito palette
    "correct": ("✅", "Correct", "#009E73"),
    "incorrect": ("❌", "Not yet", "#D55E00"),
    "invalid": ("⚠️", "Cannot check this answer", "#E69F00"),
    "unanswered": ("⬜", "Not attempted", "#999999"),
}


def _box(colour: str, body: str) -> str:
    return (f'<div style="border-left: 4px solid {colour}; padding: 0.3em 0.8em; '
            f'margin: 0.2em 0;">{body}</div>')


@dataclass(frozen=True)
class Result:
    """The outcome of ``ex.check(name, answer)``.

    Attributes
    ----------
    name : str
        The exercise.
    status : {"correct", "incorrect", "invalid", "unanswered"}
    message : str
        The explanation shown to the student; never contains the expected value.
    misconception : str
        Code of the recognised mistake (``"prefix"``, ``"joule_wh"``, ``"pue_missing"`` …), or ``""``.
    """
    name: str
    status: str
    message: str
    misconception: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        symbol, heading, _ = _LOOK[self.status]
        return f"{symbol} {self.name}: {heading}. {self.message}"

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def _repr_html_(self) -> str:
        symbol, heading, colour = _LOOK[self.status]
        body = (f"<strong>{symbol} {html.escape(heading)}</strong> "
                f"<code>{html.escape(self.name)}</code><br>{html.escape(self.message)}")
        return _box(colour, body)


@dataclass(frozen=True)
class Hint:
    """A hint, numbered: ``Hint 2 of 3``."""
    name: str
    number: int
    total: int
    text: str

    def __str__(self) -> str:
        more = "" if self.number < self.total else " (that was the last hint)"
        return f"💡 {self.name}, hint {self.number} of {self.total}{more}: {self.text}"

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def _repr_html_(self) -> str:
        more = "" if self.number < self.total else " (that was the last hint)"
        return _box("#56B4E9", f"<strong>💡 Hint {self.number} of {self.total}</strong>{more} "
                               f"<code>{html.escape(self.name)}</code><br>{html.escape(self.text)}")


@dataclass(frozen=True)
class Progress:
    """Summary of one chapter's exercises: latest status and attempts of each."""
    chapter: str
    rows: tuple  # (name, title, objective, status, attempts)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row[3] == "correct")

    @property
    def total(self) -> int:
        return len(self.rows)

    def as_dict(self) -> dict:
        """``{name: status}`` for every exercise, in order."""
        return {row[0]: row[3] for row in self.rows}

    def __str__(self) -> str:
        lines = [f"Chapter {self.chapter}: {self.done} of {self.total} exercises correct."]
        for name, title, _, status, attempts in self.rows:
            symbol = _LOOK[status][0]
            tries = f" ({attempts} attempt{'s' if attempts != 1 else ''})" if attempts else ""
            lines.append(f"  {symbol} {name}: {title}{tries}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def _repr_html_(self) -> str:
        cells = []
        for name, title, objective, status, attempts in self.rows:
            symbol, heading, colour = _LOOK[status]
            cells.append(f'<tr><td style="color:{colour}">{symbol} {html.escape(heading)}</td>'
                         f"<td><code>{html.escape(name)}</code></td><td>{html.escape(title)}</td>"
                         f"<td>{html.escape(objective)}</td><td>{attempts}</td></tr>")
        return (f"<p><strong>Chapter {html.escape(self.chapter)}: {self.done} of {self.total} "
                f"exercises correct.</strong></p><table><thead><tr><th>Status</th><th>Exercise</th>"
                f"<th>Title</th><th>Objective</th><th>Attempts</th></tr></thead><tbody>"
                + "".join(cells) + "</tbody></table>")
