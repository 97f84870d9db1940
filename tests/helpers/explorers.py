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


def display_points(line):
    """A line's data points in display (pixel) coordinates, the non-finite ones dropped."""
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    return xy[np.isfinite(xy).all(axis=1)]


def inside(points, box, pad=1.0):
    """Which of ``points`` (display coordinates) fall within ``box``, ``pad`` pixels around it included."""
    return ((points[:, 0] >= box.x0 - pad) & (points[:, 0] <= box.x1 + pad)
            & (points[:, 1] >= box.y0 - pad) & (points[:, 1] <= box.y1 + pad))
