"""The protocol every experiment follows: run seeds, summarise each number as mean ± spread, conclude.

An experiment module offers ``run(seed)`` (one seed, every arm: a plain dataclass of numbers),
``holds(result)`` (its stated conclusion, for one seed) and ``run_many(seeds)``. The shared part of
``run_many`` lives here:

* :func:`run_seeds` runs ``run`` for each seed;
* :class:`Summary` is the base of every summary: the seeds, their results, whether the stated
  conclusion held on each (the module's ``holds``) and the conclusion text generated from the numbers;
* a summary's other fields say how they are computed from the seeds' results — :func:`per_arm`
  (``{arm: MeanStd}``), :func:`over_seeds` (one :class:`MeanStd`), :func:`per_seed` (a list),
  :func:`first_seed` (a number that is the same on every seed) or :func:`from_results` — and
  :func:`summarise` fills them in::

      @dataclass(kw_only=True)
      class ToySummary(Summary):
          GROUPS = ("small", "large")              # the arms
          accuracy: dict = per_arm()           # {arm: MeanStd} of result.arms[arm].accuracy
          gain: MeanStd = over_seeds()         # MeanStd of result.gain

      def run_many(seeds=range(5)) -> ToySummary:
          return summarise(ToySummary, run, holds, seeds, _conclusion)

:class:`MeanStd` prints a number over seeds as ``mean ± std``; :func:`joules` turns FLOPs into the
energy an A100 would use at an assumed utilisation (an illustration, not a measurement).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import ClassVar
from collections.abc import Callable

from energylab.formatting import rounded, si_scale

__all__ = ["MeanStd", "mean_std", "run_seeds", "per_group", "joules", "ASSUMED_UTILISATION", "Summary",
           "summarise", "per_arm", "over_seeds", "per_seed", "first_seed", "from_results"]

#: Share of an accelerator's peak throughput :func:`joules` assumes (40 %): an assumption, not a measurement.
ASSUMED_UTILISATION = 0.4


@dataclass(frozen=True)
class MeanStd:
    """Mean and sample standard deviation (ddof = 1) of a number over seeds.

    Printed as ``mean ± std`` (just the mean when only one value is finite, or all are equal).

    ``n_finite`` counts the seeds with a finite value; when some are infinite (e.g. a target never
    reached), ``mean`` and ``std`` are over the finite ones and ``n_finite < n``.
    """
    mean: float
    std: float
    n: int
    n_finite: int

    def __str__(self) -> str:
        return self.format()

    def format(self, spec: str = ".3g", scale: float = 1.0, unit: str = "", note: bool = True) -> str:
        """``'0.873 ± 0.012'``; values multiplied by ``scale`` first (e.g. 100 for percent).

        With ``note``, a mean over only some seeds says so: ``'... (in 4 of 5 seeds)'``.
        """
        if self.n_finite == 0:
            return "never"
        spread = f" ± {self.std * scale:{spec}}" if self._has_spread() else ""
        text = f"{self.mean * scale:{spec}}{spread}{unit}"
        return text + self._note() if note else text

    def format_si(self, unit: str, sig: int = 2, note: bool = True) -> str:
        """With an SI prefix chosen from the mean (:func:`energylab.formatting.si_scale`): ``'39 ± 3.6 MFLOP'``."""
        if self.n_finite == 0:
            return "never"
        scale, prefix = si_scale(self.mean)
        spread = f" ± {rounded(self.std / scale, sig)}" if self._has_spread() else ""
        text = f"{rounded(self.mean / scale, sig)}{spread} {prefix}{unit}"
        return text + self._note() if note else text

    def _has_spread(self) -> bool:
        return self.n_finite > 1 and self.std > 0

    def _note(self) -> str:
        return f" (in {self.n_finite} of {self.n} seeds)" if self.n_finite < self.n else ""


def mean_std(values) -> MeanStd:
    """:class:`MeanStd` of a sequence of numbers (infinite values left out of the mean and counted)."""
    values = [float(v) for v in values]
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return MeanStd(math.inf, math.nan, len(values), 0)
    mean = sum(finite) / len(finite)
    std = math.sqrt(sum((v - mean) ** 2 for v in finite) / (len(finite) - 1)) if len(finite) > 1 else 0.0
    return MeanStd(mean, std, len(values), len(finite))


def run_seeds(run, seeds) -> tuple[list, list]:
    """``(seeds, [run(seed) for seed in seeds])``, with the seeds as ints; at least one seed."""
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must name at least one seed.")
    return seeds, [run(s) for s in seeds]


def per_group(results, groups, attribute: str, field: str = "arms") -> dict:
    """``{group: MeanStd}`` of one attribute of each result's ``arms`` (or another dict field) over seeds."""
    return {g: mean_std([getattr(getattr(r, field)[g], attribute) for r in results]) for g in groups}


def joules(flops, accelerator: str = "A100", utilisation: float = ASSUMED_UTILISATION) -> float:
    """Energy in J to perform ``flops`` FLOPs on ``accelerator`` (bf16, 40 % of peak, PUE 1).

    A float wrapper over :func:`energylab.nn.energy_of`; infinite FLOPs (a target never reached)
    give infinite joules.
    """
    flops = float(flops)
    if math.isinf(flops):
        return math.inf
    from energylab import nn

    return float(nn.energy_of(flops, accelerator, utilisation).to("J").magnitude)


# --------------------------------------------------------------------------------------------------
# summaries
# --------------------------------------------------------------------------------------------------

_BUILD = "energylab.experiments.summarise"   # the field metadata key: how summarise computes the field


@dataclass(kw_only=True)
class Summary:
    """What every experiment's ``run_many`` returns; each experiment adds the numbers it summarises.

    Attributes
    ----------
    seeds : list of int
    results : list
        ``run(seed)`` for each seed.
    holds : list of bool
        Whether the stated conclusion (the module's ``holds``) held on each seed.
    conclusion : str
        Text generated from the numbers.

    A subclass names its arms in the class variable ``GROUPS`` and, when its results keep them in a
    dict other than ``arms``, that dict in ``GROUPED_BY``.
    """
    GROUPS: ClassVar[tuple] = ()
    GROUPED_BY: ClassVar[str] = "arms"

    seeds: list
    results: list
    holds: list
    conclusion: str = ""

    @property
    def failed_seeds(self) -> list:
        """The seeds on which the stated conclusion did not hold."""
        return [seed for seed, ok in zip(self.seeds, self.holds) if not ok]

    def percents(self, field: str, spec: str = ".1f") -> dict:
        """A per-arm field of shares as text in percent, for the conclusion: ``{arm: '87.3 ± 1.2 %'}``."""
        return {group: value.format(spec, 100, " %") for group, value in getattr(self, field).items()}


def _getter(value, name: str) -> Callable:
    """A function of one result: ``value`` itself if callable, else the attribute ``value`` (default ``name``)."""
    if callable(value):
        return value
    attribute = name if value is None else value
    return lambda result: getattr(result, attribute)


def _summary_field(build: Callable):
    return dataclasses.field(default=None, metadata={_BUILD: build})


def per_arm(attribute: str | None = None):
    """A summary field ``{arm: MeanStd}``: one attribute (default: the field's name) of each arm, over seeds.

    The arms are the summary class's ``GROUPS``, read from each result's ``GROUPED_BY`` dict.
    """
    return _summary_field(lambda name, results, cls: per_group(results, cls.GROUPS, attribute or name,
                                                               cls.GROUPED_BY))


def over_seeds(value=None):
    """A summary field :class:`MeanStd` of one number per seed: an attribute of the result (default: the
    field's name) or a function of the result."""
    return _summary_field(lambda name, results, cls: mean_std([_getter(value, name)(r) for r in results]))


def per_seed(value=None):
    """A summary field listing one value per seed (an attribute, default the field's name, or a function)."""
    return _summary_field(lambda name, results, cls: [_getter(value, name)(r) for r in results])


def first_seed(value=None):
    """A summary field holding the first seed's value: for a number the same on every seed (e.g. a FLOP count)."""
    return _summary_field(lambda name, results, cls: _getter(value, name)(results[0]))


def from_results(function: Callable):
    """A summary field computed by ``function(results)`` from all the seeds' results together."""
    return _summary_field(lambda name, results, cls: function(results))


def summarise(cls, run, holds, seeds, conclusion) -> Summary:
    """Run ``run`` for each seed and build the summary ``cls`` (a :class:`Summary` subclass).

    Parameters
    ----------
    cls : type
        The summary class; its fields made with :func:`per_arm`, :func:`over_seeds`, :func:`per_seed`,
        :func:`first_seed` or :func:`from_results` are computed from the results.
    run, holds : callable
        The experiment's ``run(seed)`` and ``holds(result)``.
    seeds : iterable of int
        At least one.
    conclusion : callable
        ``conclusion(summary)`` → the text, generated from the filled-in summary.

    Returns
    -------
    Summary
        An instance of ``cls``.
    """
    seeds, results = run_seeds(run, seeds)
    values = {f.name: f.metadata[_BUILD](f.name, results, cls) for f in dataclasses.fields(cls)
              if _BUILD in f.metadata}
    summary = cls(seeds=seeds, results=results, holds=[holds(r) for r in results], **values)
    summary.conclusion = conclusion(summary)
    return summary
