"""Seeds that do not depend on how runs are chunked or spread over workers.

Runs are grouped in fixed blocks of :data:`BLOCK` runs.  Block ``b`` draws from
its own streams, children of ``SeedSequence(seed, spawn_key=(b,))`` (exactly what
``SeedSequence(seed).spawn`` would hand out as child ``b``): one for the baseline
draws, one for the country's monthly shocks, one for contributors.  A chunk of
any size generates the whole blocks it touches and keeps its own runs, so run
``k`` sees the same numbers whatever the chunk size or number of workers, and
two strategies see the same numbers for the same run (common random numbers).
"""

from __future__ import annotations

import numpy as np

BLOCK = 250


class BlockStreams:
    """The random streams of the blocks covering runs ``[start, stop)``."""

    def __init__(self, seed: int, start: int, stop: int):
        self.start, self.stop = start, stop
        self.first = start // BLOCK
        last = (stop - 1) // BLOCK
        self.lo = start - self.first * BLOCK
        self.hi = self.lo + (stop - start)
        self.gens: list[tuple[np.random.Generator, np.random.Generator, np.random.Generator]] = []
        for b in range(self.first, last + 1):
            init, env, contrib = np.random.SeedSequence(seed, spawn_key=(b,)).spawn(3)
            self.gens.append((np.random.Generator(np.random.PCG64(init)), np.random.Generator(np.random.PCG64(env)), np.random.Generator(np.random.PCG64(contrib))))

    def _fill(self, draw: str, stream: int, width: int) -> np.ndarray:
        """Each block's next (BLOCK, width) numbers from one of its streams, written in place; the chunk's rows."""
        out = np.empty((len(self.gens) * BLOCK, width))
        for b, g in enumerate(self.gens):
            getattr(g[stream], draw)(out=out[b * BLOCK : (b + 1) * BLOCK])
        return out[self.lo : self.hi]

    def initial(self, width: int) -> np.ndarray:
        return self._fill("random", 0, width)

    def month(self, wz: int, wu: int, wc: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        z = self._fill("standard_normal", 1, wz)
        u = self._fill("random", 1, wu)
        uc = self._fill("random", 2, wc)
        return z, u, uc
