"""What a language model takes in an accelerator's memory: its KV cache, its shape, and what fits.

* :func:`kv_cache_bytes_per_token`: the keys and values each token of context keeps, per layer;
* :func:`model_shape`: layers, width and KV cache of a dense transformer of N parameters, under the
  course's shape assumptions (:data:`ASPECT_RATIO`, :data:`KV_HEADS`, :data:`HEAD_DIM`,
  :data:`KV_BYTES_PER_VALUE`);
* :func:`accelerators_for_weights`: the fewest accelerators whose memory holds the weights with
  :data:`KV_HEADROOM` of it kept for the KV cache;
* :func:`kv_cache_capacity`: how many tokens of KV cache fit in the accelerators beside the weights.

Datasheet memory sizes come from :mod:`energylab.chips.accelerators`.
"""
from __future__ import annotations

import numpy as np
import pint

from ..chips.accelerators import accelerator as _accelerator
from ..units import Q_, as_number, as_quantity, converted

__all__ = ["kv_cache_bytes_per_token", "model_shape", "accelerators_for_weights", "kv_cache_capacity",
           "ASPECT_RATIO", "KV_HEADS", "HEAD_DIM", "KV_BYTES_PER_VALUE", "KV_HEADROOM"]

# ---- course assumptions: the shape of a model of N parameters ----------------------------------------
#: d_model / n_layers. GPT-3 175B has 12,288 / 96 = 128; many 7 B-class models 4,096 / 32 = 128.
ASPECT_RATIO = 128
#: Grouped-query attention: key/value heads per layer and their width (as in many current 7–70 B models;
#: the same assumption as :data:`energylab.inference.COURSE_ASSUMPTIONS` ``kv_bytes_per_token``).
KV_HEADS = 8
HEAD_DIM = 128
#: The KV cache is kept in 16-bit numbers whatever the weights' precision.
KV_BYTES_PER_VALUE = 2
#: Share of the accelerators' memory kept free of weights, for the KV cache, when choosing how many
#: accelerators serve the model (:func:`accelerators_for_weights`). Without it a model whose weights just
#: fill the fewest accelerators (1 T bf16 parameters on 25 × 80 GB) would have no room for even one sequence.
KV_HEADROOM = 0.2


def kv_cache_bytes_per_token(n_layers, d_model, bytes_per_value=2) -> pint.Quantity:
    """Memory the KV cache needs per token of context: 2 (K and V) × n_layers × d_model × bytes.

    Parameters
    ----------
    n_layers : float or array_like
        Number of layers, greater than 0 (a plain number).
    d_model : float or array_like
        Width of the keys and values per layer, greater than 0 (a plain number): d_model for
        multi-head attention; n_kv_heads × d_head for grouped-query attention (much smaller).
    bytes_per_value : pint.Quantity or float or array_like, optional
        Storage per value, greater than 0; plain numbers in **B**. Default 2 (bf16/fp16).

    Returns
    -------
    pint.Quantity
        KV-cache size per token of context, in B/token (``.to("kB/token")`` to read it).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive values, NaN or infinity.

    Examples
    --------
    >>> print(kv_cache_bytes_per_token(96, 12288).to("MB/token"))       # GPT-3-like, bf16
    4.719 MB / tok

    Notes
    -----
    Each layer stores one key and one value vector per token of context (the factor 2). The decode
    step reads the whole cache of each sequence once per generated token, which is why long contexts
    and large batches make decoding memory-bound (see :func:`decode_step`).
    """
    layers = as_quantity(n_layers, "dimensionless", "n_layers", positive=True)
    width = as_quantity(d_model, "dimensionless", "d_model", positive=True)
    size = as_quantity(bytes_per_value, "B", "bytes_per_value", positive=True)
    return converted(2 * layers * width * size / Q_(1, "token"), "B/token")


def model_shape(n_params) -> dict:
    """Layers, width and KV cache of a dense transformer of ``n_params`` parameters (course assumptions).

    N ≈ 12·n_layers·d_model² (attention 4·d², MLP 8·d² per layer) with d_model = :data:`ASPECT_RATIO` ×
    n_layers, rounded to whole layers; the KV cache holds K and V for :data:`KV_HEADS` heads of
    :data:`HEAD_DIM` values per layer at :data:`KV_BYTES_PER_VALUE` bytes (:func:`kv_cache_bytes_per_token`).

    Parameters
    ----------
    n_params : pint.Quantity or float
        N, greater than 0; plain numbers in **param**.

    Returns
    -------
    dict
        ``n_layers``, ``d_model`` (plain ints) and ``kv_bytes_per_token`` (B/token, a plain float).

    Raises
    ------
    TypeError
        Wrong type or dimension, or an array.
    ValueError
        Not greater than 0, NaN or infinity.

    Examples
    --------
    >>> model_shape(175e9)                                  # GPT-3: 96 layers of width 12,288
    {'n_layers': 96, 'd_model': 12288, 'kv_bytes_per_token': 393216.0}

    Notes
    -----
    The 12·n_layer·d_model² count of non-embedding parameters is Kaplan et al. 2020, arXiv:2001.08361,
    Table 1 (with d_ff = 4·d_model). The aspect ratio, the grouped-query attention and the 16-bit cache are
    **course assumptions**, typical of current dense models; real models differ.
    """
    n = as_number(n_params, "n_params", "param", positive=True)
    n_layers = max(1, round((n / (12 * ASPECT_RATIO ** 2)) ** (1 / 3)))
    d_model = ASPECT_RATIO * n_layers
    kv = kv_cache_bytes_per_token(n_layers, KV_HEADS * HEAD_DIM, KV_BYTES_PER_VALUE)
    return {"n_layers": n_layers, "d_model": d_model, "kv_bytes_per_token": float(kv.to("B/token").magnitude)}


def _memory_bytes(accelerator) -> float:
    return float(_accelerator(accelerator).capacity().to("B").magnitude)


def accelerators_for_weights(n_params, accelerator, bytes_per_param=2, kv_headroom=KV_HEADROOM):
    """The fewest accelerators whose memory holds the weights, with a share of it kept for the KV cache.

    n = ⌈N × bytes_per_param ÷ ((1 − kv_headroom) × memory)⌉, at least 1.

    Parameters
    ----------
    n_params : pint.Quantity or float or array_like
        Parameters, greater than 0; plain numbers in **param**.
    accelerator : str or Accelerator
        A name accepted by :func:`energylab.chips.accelerators.accelerator` (``"A100"``, ``"H100"`` …).
    bytes_per_param : pint.Quantity or float or array_like, optional
        Storage per weight, greater than 0; plain numbers in **B/param**. Default 2 (bf16).
    kv_headroom : float, optional
        Share of each accelerator's memory kept free of weights, in [0, 1). Default :data:`KV_HEADROOM`
        (0.2, a course assumption).

    Returns
    -------
    int or numpy.ndarray of int
        Accelerators needed (tensor parallelism; communication is not modelled).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive sizes, headroom outside [0, 1), unknown accelerator, no memory figure.

    Examples
    --------
    >>> accelerators_for_weights(175e9, "A100")     # 350 GB of bf16 weights in 64 GB per 80 GB A100
    6
    >>> accelerators_for_weights([7e9, 70e9, 1e12], "H100")
    array([ 1,  3, 32])

    Notes
    -----
    Memory capacities from the NVIDIA and Google datasheets (facts ``*_memory``).
    """
    n = as_quantity(n_params, "param", "n_params", positive=True)
    b = as_quantity(bytes_per_param, "B/param", "bytes_per_param", positive=True)
    headroom = as_number(kv_headroom, "kv_headroom", nonnegative=True, below=1)
    weights = np.asarray(converted(n * b, "B").magnitude)
    # the 1e-9 keeps float noise from adding an accelerator at an exact multiple
    count = np.maximum(1, np.ceil(weights / ((1 - headroom) * _memory_bytes(accelerator)) - 1e-9)).astype(np.int64)
    return int(count) if count.ndim == 0 else count


def kv_cache_capacity(n_params, accelerator, kv_bytes_per_token, bytes_per_param=2, n_accelerators=1
                      ) -> pint.Quantity:
    """Tokens of KV cache that fit in the accelerators' memory beside the weights.

    capacity = (n_accelerators × memory − N × bytes_per_param) ÷ KV bytes per token, 0 when the weights
    alone do not fit. Divide by the context of a sequence for the largest batch that fits.

    Parameters
    ----------
    n_params : pint.Quantity or float or array_like
        Parameters, greater than 0; plain numbers in **param**.
    accelerator : str or Accelerator
        A name accepted by :func:`energylab.chips.accelerators.accelerator`.
    kv_bytes_per_token : pint.Quantity or float or array_like
        KV-cache size per token of context, greater than 0; plain numbers in **B/token**
        (:func:`kv_cache_bytes_per_token`).
    bytes_per_param : pint.Quantity or float or array_like, optional
        Storage per weight, greater than 0; plain numbers in **B/param**. Default 2 (bf16).
    n_accelerators : float or array_like, optional
        Accelerators sharing the model, at least 1. Default 1.

    Returns
    -------
    pint.Quantity
        Tokens of context (over all sequences) whose KV cache fits, in token.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive sizes, fewer than 1 accelerator, unknown accelerator, no memory figure.

    Examples
    --------
    >>> print(kv_cache_capacity(100e9, "H100", 327_680, n_accelerators=8))    # the course scenario
    1.343e+06 tok

    Notes
    -----
    Activations and the serving system's own buffers are ignored: real servers hold somewhat less.
    """
    n = as_quantity(n_params, "param", "n_params", positive=True)
    kv = as_quantity(kv_bytes_per_token, "B/token", "kv_bytes_per_token", positive=True)
    b = as_quantity(bytes_per_param, "B/param", "bytes_per_param", positive=True)
    count = as_quantity(n_accelerators, "dimensionless", "n_accelerators", minimum=1)
    free = np.maximum(converted(count * Q_(_memory_bytes(accelerator), "B") - n * b, "B").magnitude, 0.0)
    return converted(Q_(free, "B") / kv, "token")
