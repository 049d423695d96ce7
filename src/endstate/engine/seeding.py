"""Seeds and random numbers that do not depend on how runs are chunked, spread over workers or threads.

Baseline draws (once per run).  Runs are grouped in fixed blocks of
:data:`BLOCK` runs; block ``b`` draws its runs' baseline numbers from the first
child of ``SeedSequence(seed, spawn_key=(b,))`` (PCG64).  A chunk of any size
generates the whole blocks it touches and keeps its own runs.

Monthly draws (every run-month) come from a counter-based generator computed
in compiled code, so that the compiled engine draws them inside its loop over
runs and months, and any run's numbers can be had without drawing another's:

- the seed gives one 64-bit key, ``SeedSequence(seed).generate_state(1, uint64)``;
- number ``j`` of run ``k`` (its index in the whole simulation, not in its
  chunk) is ``mix64(key + (k * 2^32 + j + 1) * GAMMA)`` (all modulo 2^64): the
  number at position ``k * 2^32 + j + 1`` of one SplitMix64 sequence (Steele,
  Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
  the generator of Java's SplittableRandom, which passes BigCrush), read at
  that position instead of in order.  Each run owns its own 2^32 positions of
  the sequence, so no two runs (up to 2^32 of them) share a number's position;
- month ``m`` of a run uses positions ``m * STRIDE + slot``: slots
  below ``U_SLOT`` give the standard normals ``z`` (a ziggurat, :func:`normal`:
  one number a normal most of the time, read in order), slots ``U_SLOT + i`` the uniforms
  ``u``, slots ``UC_SLOT + c`` the uniforms ``uc`` (see
  :class:`endstate.model.step.Draws` for what each column is for);
- a uniform is the top 53 bits of a number times 2^-53, in [0, 1).

So run ``k``'s numbers in month ``m`` are a function of (seed, k, m) alone:
the same for any chunk size, number of workers or threads, and the same for
two strategies (common random numbers).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from endstate.model.compiled import jit

BLOCK = 250

GAMMA = np.uint64(0x9E3779B97F4A7C15)
"""SplitMix64's increment (the odd integer nearest 2^64 / golden ratio)."""
STRIDE = 1 << 14
"""Positions reserved for one month of one run (more than any month's draws need; 2^18 months fit in a run's 2^32)."""
U_SLOT = 1 << 12
"""First slot of a month's uniforms ``u``; the normals take the slots below it."""
UC_SLOT = 1 << 13
"""First slot of a month's per-contributor uniforms ``uc``."""

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11, _S32 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11), np.uint64(32)
_TWO53 = 1.0 / 9007199254740992.0  # 2^-53


@jit(nogil=True)
def mix64(x: Any) -> Any:
    """SplitMix64's output function (Stafford's Mix13) of a uint64."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@jit(nogil=True)
def run_key(key: Any, run: int) -> Any:
    """Where run ``run``'s positions start in the seed's sequence (``key + run * 2^32 * GAMMA``, modulo 2^64)."""
    return key + (np.uint64(run) << _S32) * GAMMA


@jit(nogil=True)
def bits(run_k: Any, position: int) -> Any:
    """The run's 64-bit number at ``position`` (SplitMix64 read at ``run_k + (position + 1) * GAMMA``)."""
    return mix64(run_k + np.uint64(position + 1) * GAMMA)


@jit(nogil=True)
def uniform(run_k: Any, position: int) -> float:
    """The run's number at ``position`` as a uniform in [0, 1) (its top 53 bits)."""
    return float(bits(run_k, position) >> _S11) * _TWO53


def _ziggurat(layers: int = 128, r: float = 3.442619855899, v: float = 9.91256303526217e-3) -> tuple[np.ndarray, np.ndarray]:
    """The layers' right edges ``x`` (layers + 1) and ratios ``x[i + 1] / x[i]`` of Doornik's 128-layer ziggurat (ZIGNOR)."""
    x = np.zeros(layers + 1)
    f = np.exp(-0.5 * r * r)
    x[0], x[1] = v / f, r
    for i in range(2, layers):
        x[i] = np.sqrt(-2.0 * np.log(v / x[i - 1] + f))
        f = np.exp(-0.5 * x[i] * x[i])
    return x, x[1:] / x[:-1]


_ZIG_X, _ZIG_R = _ziggurat()
_ZIG_TAIL = 3.442619855899
_LAYER = np.uint64(127)
_ONE, _S56 = np.uint64(1), np.uint64(56)
_BYTE_INDEX = np.uint64(0x0001020304050607)
"""Times a word's lowest set bit, ``2^(8b)``, its top byte is ``b``: the index of the word's lowest nonzero byte."""
_RUNS = 256
"""Runs drawn together, column by column: their keys and flags (a few kB) stay in the L1 cache."""


@jit(nogil=True, inline="always")
def _point(x64: Any) -> tuple[float, int, bool]:
    """A number as a point of the ziggurat: ``w`` in [-1, 1) from its top 53 bits, its layer from its low 7 bits, and
    whether ``w`` falls inside the layer's box (then the normal is ``w`` times the layer's edge)."""
    w = 2.0 * (float(x64 >> _S11) * _TWO53) - 1.0
    layer = int(x64 & _LAYER)
    return w, layer, abs(w) < _ZIG_R[layer]


@jit(nogil=True)
def normal(run_k: Any, pos: int) -> tuple[float, int]:
    """A standard normal from the run's numbers at ``pos`` onwards, and the next unused position.

    Doornik's ziggurat (ZIGNOR: "An improved ziggurat method to generate
    normal random samples", 2005; Marsaglia & Tsang's method with 128 layers):
    one number gives a layer (its low 7 bits) and a uniform (its top 53 bits),
    and 97.2% of the time (the mean of the layers' ratios ``_ZIG_R``) the
    normal is that uniform scaled; the wedges and the tail (beyond 3.44) take
    further numbers.
    """
    while True:
        w, i, inside = _point(bits(run_k, pos))
        pos += 1
        if inside:
            return w * _ZIG_X[i], pos
        if i == 0:  # the tail beyond the base layer's edge
            while True:
                t = np.log(1.0 - uniform(run_k, pos)) / _ZIG_TAIL
                y = np.log(1.0 - uniform(run_k, pos + 1))
                pos += 2
                if -2.0 * y >= t * t:
                    return (t - _ZIG_TAIL if w < 0 else _ZIG_TAIL - t), pos
        x = w * _ZIG_X[i]
        f0 = np.exp(-0.5 * (_ZIG_X[i] * _ZIG_X[i] - x * x))
        f1 = np.exp(-0.5 * (_ZIG_X[i + 1] * _ZIG_X[i + 1] - x * x))
        accept = f1 + uniform(run_k, pos) * (f0 - f1) < 1.0
        pos += 1
        if accept:
            return x, pos


@jit(nogil=True, error_model="numpy")
def fill_month(keys: Any, month: int, z: Any, u: Any, uc: Any) -> None:
    """Every run's numbers of month ``month``, row ``n`` from ``keys[n]``: normals ``z`` from the month's first position,
    uniforms ``u`` from ``U_SLOT`` and ``uc`` from ``UC_SLOT`` on (the arrays' widths are the counts drawn).

    Runs go in blocks of :data:`_RUNS`; each column is a loop over the
    block's runs with no branch, which LLVM vectorises (the numbers are integer
    arithmetic on the counters), writing straight into the output.  Normal
    ``i`` of a run starts at position ``base + i + d``, where ``d`` is the
    count of extra numbers its earlier normals took (a wedge or the tail);
    ``at[n]`` is the run's key moved on by its ``d`` (``key + d * GAMMA``), so
    that the number is ``bits(at[n], base + i)``, the same counter arithmetic
    for every run.  Column ``i`` takes that number as the normal when it falls
    inside its layer's box (97.2% of numbers) and flags the run otherwise; a
    scalar loop then finds the flagged runs (the flags read 8 at a time as one
    word, and a nonzero word's flagged runs by its lowest set bit, so that the
    loop branches about once a flagged run, not once a run), replaces each one's
    normal by :func:`normal`'s full ziggurat from there, and moves its
    ``at[n]`` on by the extra numbers read.
    """
    base = month * STRIDE
    runs, width = keys.shape[0], z.shape[1]
    at = np.empty(_RUNS, dtype=np.uint64)
    flagged = np.zeros(_RUNS, dtype=np.bool_)
    words = flagged.view(np.uint64)  # the flags 8 at a time: most words are 0 (a run's flag is set 2.8% of the time)
    for lo in range(0, runs, _RUNS):
        m = min(_RUNS, runs - lo)
        k = keys[lo : lo + m]
        for n in range(m):  # (a loop: Numba took 6 s longer to compile the slice assignment at[:m] = k)
            at[n] = k[n]
        for i in range(width):
            o = z[lo : lo + m, i]
            for n in range(m):
                w, layer, inside = _point(bits(at[n], base + i))
                o[n] = w * _ZIG_X[layer]
                flagged[n] = not inside
            for j in range((m + 7) // 8):
                flags = words[j]
                while flags:
                    n = 8 * j + int(((flags & (~flags + _ONE)) * _BYTE_INDEX) >> _S56)  # the lowest flagged run's byte
                    flags &= flags - _ONE
                    if n < m:  # (the last block's bytes beyond its runs hold an earlier block's flags)
                        o[n], pos = normal(at[n], base + i)
                        at[n] += np.uint64(pos - base - i - 1) * GAMMA
        for i in range(u.shape[1]):
            o = u[lo : lo + m, i]
            for n in range(m):
                o[n] = uniform(k[n], base + U_SLOT + i)
        for i in range(uc.shape[1]):
            o = uc[lo : lo + m, i]
            for n in range(m):
                o[n] = uniform(k[n], base + UC_SLOT + i)


def seed_key(seed: int) -> np.uint64:
    """The 64-bit key of a seed."""
    return np.uint64(np.random.SeedSequence(seed).generate_state(1, np.uint64)[0])


def run_keys(seed: int, start: int, stop: int) -> np.ndarray:
    """The keys of runs ``[start, stop)``: :func:`run_key` of each, by NumPy's unsigned arithmetic, which wraps modulo
    2^64 as the compiled one does (one call into compiled code a run took 1 us: 2 ms of a 2,048-run chunk)."""
    with np.errstate(over="ignore"):
        return seed_key(seed) + (np.arange(start, stop, dtype=np.uint64) << _S32) * GAMMA


class BlockStreams:
    """The random streams of runs ``[start, stop)``: baseline draws by block, monthly draws by run and month."""

    def __init__(self, seed: int, start: int, stop: int):
        self.start, self.stop = start, stop
        self.first = start // BLOCK
        last = (stop - 1) // BLOCK
        self.lo = start - self.first * BLOCK
        self.hi = self.lo + (stop - start)
        self.gens = [np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(b,)).spawn(1)[0])) for b in range(self.first, last + 1)]
        self.keys = run_keys(seed, start, stop)
        self.months = 0  # months drawn so far: the next call of :meth:`month` draws this month's numbers

    def initial(self, width: int) -> np.ndarray:
        """Each run's baseline uniforms (width of them), from its block's stream."""
        out = np.empty((len(self.gens) * BLOCK, width))
        for b, g in enumerate(self.gens):
            g.random(out=out[b * BLOCK : (b + 1) * BLOCK])
        return out[self.lo : self.hi]

    def month(
        self, wz: int, wu: int, wc: int, rows: np.ndarray | None = None, out: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The next month's numbers of every run (or of the runs at positions ``rows``): normals (N, wz), uniforms (N, wu) and (N, wc).

        ``out``: three float64 arrays of those shapes, Fortran-ordered, to fill
        and return instead of new ones.  A caller that passes the same arrays
        every month spares the page faults of fresh ones (arrays this large
        are given back to the operating system when freed, and each new one
        is faulted in again page by page).
        """
        keys = self.keys if rows is None else self.keys[rows]
        n = keys.shape[0]
        if out is None:
            # runs fastest, as the monthly kernel reads them (endstate.model.state.State)
            z, u, uc = np.empty((n, wz), order="F"), np.empty((n, wu), order="F"), np.empty((n, wc), order="F")
        else:
            z, u, uc = out
            for name, a, width in (("z", z, wz), ("u", u, wu), ("uc", uc, wc)):
                if a.shape != (n, width) or a.dtype != np.float64 or not a.flags.f_contiguous or not a.flags.writeable:
                    order = "Fortran-ordered" if a.flags.f_contiguous else "not Fortran-ordered"
                    raise ValueError(f"BlockStreams.month: out array {name} must be a writeable Fortran-ordered float64 array of shape {(n, width)}, not a {order} {a.dtype} array of shape {a.shape}")
        fill_month(keys, self.months, z, u, uc)
        self.months += 1
        return z, u, uc
