"""``exp``, ``log``, ``log1p`` and ``log10`` written in plain arithmetic, so that compiled loops over runs vectorise.

Core objects: :func:`exp`, :func:`log`, :func:`log1p`, :func:`log10`, each a
NumPy ufunc compiled by Numba (for one number or a whole array, from Python or
from compiled code).

Why: the monthly kernel (:mod:`endstate.model.kernel`) evaluates about 55
exponentials and logarithms a run-month.  Compiled, ``np.exp`` is a call into
the C library for one number at a time, and a loop that contains such a call
is not vectorised: each run waits for its own call.  The same functions written
as arithmetic (a range reduction and a rational approximation, with the power
of two assembled from its bits) compile to instructions that LLVM applies to
four or eight runs at once (AVX2, AVX-512), and to the same instructions, in
the same order, whichever lane a run falls in: a run's numbers never depend on
the runs beside it, so results stay identical for any chunk size.

The approximations are those of the Cephes library (S. L. Moshier, *Methods
and Programs for Mathematical Functions*, 1989; ``exp.c`` and ``log.c``), the
ones most SIMD math libraries use.  They agree with the C library's functions
to within 2 units in the last place over the whole double range
(``tests/model/test_elementary.py`` checks it), keep IEEE special values
(``exp(inf) = inf``, ``exp(-inf) = 0``, ``log(0) = -inf``, ``log(x < 0) =
NaN``, NaN in, NaN out: the engine's guard relies on a NaN staying one),
underflow gradually to subnormal numbers and read subnormal inputs.  No
fastmath: each is exactly the written IEEE operations, so Python callers and
compiled loops get the same numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types, vectorize
from numba.extending import intrinsic

from . import compiled  # noqa: F401  (sets the cache folder before anything here is compiled)


def _as_float_intrinsic(typingctx: Any, bits: Any) -> Any:
    """The double whose IEEE bits are the int64 ``bits`` (a reinterpretation, not a conversion)."""
    sig = types.float64(types.int64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.DoubleType())

    return sig, codegen


def _as_bits_intrinsic(typingctx: Any, x: Any) -> Any:
    """The IEEE bits of the double ``x`` as an int64."""
    sig = types.int64(types.float64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.IntType(64))

    return sig, codegen


_as_float: Any = intrinsic(_as_float_intrinsic)
_as_bits: Any = intrinsic(_as_bits_intrinsic)

# exp: x = k ln2 + r, |r| <= ln2 / 2; exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2)) (Cephes exp.c)
_LOG2E = 1.4426950408889634073599
_LN2_C1 = 6.93145751953125e-1  # ln 2 in two parts: k * C1 is exact for every k of the double range
_LN2_C2 = 1.42860682030941723212e-6
_EXP_P0, _EXP_P1, _EXP_P2 = 1.26177193074810590878e-4, 3.02994407707441961300e-2, 9.99999999999999999910e-1
_EXP_Q0, _EXP_Q1, _EXP_Q2, _EXP_Q3 = 3.00198505138664455042e-6, 2.52448340349684104192e-3, 2.27265548208155028766e-1, 2.00000000000000000009e0
_EXP_LO, _EXP_HI = -746.0, 710.0  # beyond: 0 and infinity (exp(-745.14) is the smallest subnormal, exp(709.79) the largest double)

# log: x = 2^e m, sqrt(1/2) <= m < sqrt(2); log(m) = f - f^2 / 2 + f^3 P(f) / Q(f), f = m - 1 (Cephes log.c)
_SQRTH = 0.70710678118654752440
_LOG_P = (1.01875663804580931796e-4, 4.97494994976747001425e-1, 4.70579119878881725854e0, 1.44989225341610930846e1,
          1.79368678507819816313e1, 7.70838733755885391666e0)  # fmt: skip
_LOG_Q = (1.12873587189167450590e1, 4.52279145837532221105e1, 8.29875266912776603211e1, 7.11544750618563894466e1, 2.31251620126765340583e1)
_LN2_HI = 6.93147180369123816490e-01  # fdlibm's split of ln 2: e * HI is exact for every exponent e
_LN2_LO = 1.90821492927058770002e-10
_SMALLEST_NORMAL = 2.2250738585072014e-308
_TWO54 = 18014398509481984.0  # 2^54: a subnormal input is scaled into the normal range first
_MANTISSA = 0x000FFFFFFFFFFFFF
_HALF_EXPONENT = 0x3FE0000000000000  # the bits of 0.5: mantissa bits | these = m in [0.5, 1)
_LOG10E = 0.43429448190325182765


@vectorize(["float64(float64)"], cache=True)  # type: ignore[misc]
def exp(x: float) -> float:
    """e to the power ``x`` (Cephes ``exp``; within 2 ulp of the C library's)."""
    xc = np.minimum(np.maximum(x, _EXP_LO), _EXP_HI)  # a NaN stays NaN
    k = np.floor(_LOG2E * xc + 0.5)
    r = xc - k * _LN2_C1
    r = r - k * _LN2_C2
    rr = r * r
    px = r * ((_EXP_P0 * rr + _EXP_P1) * rr + _EXP_P2)
    q = ((_EXP_Q0 * rr + _EXP_Q1) * rr + _EXP_Q2) * rr + _EXP_Q3
    y = 1.0 + 2.0 * (px / (q - px))
    n = np.int64(k) if k == k else np.int64(0)  # k is NaN only for a NaN x, where y is NaN already
    half = n // 2  # 2^n as two powers of two, each a normal double: gradual underflow and overflow to infinity come out of the products
    return y * _as_float((half + 1023) << 52) * _as_float((n - half + 1023) << 52)


@njit(inline="always", cache=True)
def _log(x: float) -> float:
    """:func:`log` for one number, inlined where it is called (so that a ufunc built on it holds no call)."""
    tiny = x < _SMALLEST_NORMAL
    xs = x * _TWO54 if tiny else x
    bits = _as_bits(xs)
    e = ((bits >> 52) & 0x7FF) - 1022 - (54 if tiny else 0)
    m = _as_float((bits & _MANTISSA) | _HALF_EXPONENT)
    low = m < _SQRTH
    f = (m + m - 1.0) if low else (m - 1.0)
    fe = float(e - 1) if low else float(e)
    z = f * f
    p = ((((_LOG_P[0] * f + _LOG_P[1]) * f + _LOG_P[2]) * f + _LOG_P[3]) * f + _LOG_P[4]) * f + _LOG_P[5]
    q = ((((f + _LOG_Q[0]) * f + _LOG_Q[1]) * f + _LOG_Q[2]) * f + _LOG_Q[3]) * f + _LOG_Q[4]
    y = f * (z * p / q)
    y = y + fe * _LN2_LO
    y = y - 0.5 * z
    out = (f + y) + fe * _LN2_HI
    out = -np.inf if x == 0.0 else out
    out = np.nan if x < 0.0 else out
    out = x if x == np.inf else out
    return x if x != x else out  # NaN in, NaN out


@vectorize(["float64(float64)"], cache=True)  # type: ignore[misc]
def log(x: float) -> float:
    """The natural logarithm of ``x`` (Cephes ``log`` with fdlibm's split of ln 2; within 2 ulp of the C library's)."""
    return _log(x)


@vectorize(["float64(float64)"], cache=True)  # type: ignore[misc]
def log1p(x: float) -> float:
    """``log(1 + x)``, accurate for small ``x``: ``log(u) * x / (u - 1)`` with ``u = 1 + x`` rounded (Goldberg 1991, Theorem 4)."""
    u = 1.0 + x
    d = u - 1.0
    out = x if d == 0.0 else _log(u) * (x / d)
    return x if x == np.inf else out


@vectorize(["float64(float64)"], cache=True)  # type: ignore[misc]
def log10(x: float) -> float:
    """The base-10 logarithm: ``log(x) / ln 10`` (within 3 ulp of the C library's ``log10``)."""
    return _log(x) * _LOG10E
