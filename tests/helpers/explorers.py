"""Helpers shared by the explorer tests."""
import io

import numpy as np
from PIL import Image

from energylab import sources


def fact(fact_id, unit):
    """A scalar fact as a plain float in ``unit``."""
    return float(sources.get(fact_id).q.to(unit).magnitude)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def full_render(explorer) -> np.ndarray:
    """The explorer's figure drawn from scratch by matplotlib, for comparison with its fast path."""
    buffer = io.BytesIO()
    explorer.figure.savefig(buffer, format="png", dpi=explorer.dpi)
    return pixels(buffer.getvalue())
