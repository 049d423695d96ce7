"""How likely an observation is under each particle: one family per kind of indicator.

Core objects: :data:`FAMILY` (indicator -> family), :class:`ObservationModel`
(the families' settings, each with its source) and :func:`log_likelihood`.

- ``negbin``: death and riot counts.  The observed count is negative binomial
  around the particle's simulated count (plus :attr:`ObservationModel.count_floor`,
  so that a month the model simulates as calm can still see a few deaths).
  Event data over-disperse: two datasets' monthly fatality counts for one
  country often differ by a factor of two (Eck 2012, "In data we trust? A
  comparison of UCDP GED and ACLED conflict events datasets", Cooperation and
  Conflict 47(1)); size 2 gives a coefficient of variation of about 0.7 at
  large counts, so a factor-two disagreement lies within about one standard
  deviation.
  For battle and civilian deaths the filter weighs the count with the
  month's violence shock integrated out (:func:`count_log_likelihood_marginal`):
  the model draws each region's deaths as ``expected x shock`` with a
  mean-one lognormal shock (mechanism 2), so the particle's realised count
  carries one draw of a noise the observation cannot tell apart from the
  state.  Weighing by it rewards the particles whose shock happened to match
  the truth's; with several regions observed a month the weights then
  collapse onto a few particles and the posterior is too narrow.  The
  marginal density is the negative binomial integrated numerically over the shock.
- ``lognormal``: positive magnitudes (personnel, fighters, weapons, rates):
  normal on ``log1p``; the observation's ``uncertainty`` is its standard error
  on that scale, else :attr:`ObservationModel.log_sd`.
- ``normal``: 0-1 indices (legitimacy, consent, quality...): normal on the
  index's own scale with the observation's ``uncertainty`` as standard error,
  else :attr:`ObservationModel.unit_sd`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln, logsumexp

from endstate.types import INDICATORS

FAMILY: dict[str, str] = {
    **{k: "normal" for k, v in INDICATORS.items() if v[0] == "0-1"},
    "battle_deaths": "negbin",
    "civilian_deaths": "negbin",
    "riots": "negbin",
    "violence_per_100k": "lognormal",
    "spoiler_strength": "lognormal",
    "arms_inflow": "lognormal",
    "domestic_force_per_1000": "lognormal",
    "personnel": "lognormal",
}


@dataclass(frozen=True)
class ObservationModel:
    """Settings of the observation families (each default with its reasoning)."""

    nb_size: float = 2.0
    """Negative binomial size: Eck (2012) on GED-ACLED disagreement, see the module docstring."""
    count_floor: float = 1.0
    """Added to the simulated count: reasoning: event data record a death or two in months a model calls calm
    (criminal and communal killings the model does not represent)."""
    log_sd: float = 0.3
    """Default standard error on log1p scale: reasoning: IPI and Geo-PKO personnel figures for one month differ by
    up to a third (Geo-PKO counts troops on deployment maps, IPI all uniformed personnel)."""
    unit_sd: float = 0.1
    """Default standard error of a 0-1 index: reasoning: the World Bank's governance estimates carry standard errors of
    about 0.2 on a -2.5..2.5 scale (Kaufmann & Kraay), 0.04 on 0-1; a mission's own survey scores are rougher: 0.1."""


def _negbin(y: float, mu: np.ndarray, r: float) -> np.ndarray:
    """Log probability of the count ``y`` under a negative binomial of mean ``mu`` and size ``r``."""
    return gammaln(y + r) - gammaln(r) - gammaln(y + 1.0) + r * np.log(r / (r + mu)) + y * np.log(mu / (r + mu))


def log_likelihood(family: str, observed: float, simulated: np.ndarray, uncertainty: float, om: ObservationModel) -> np.ndarray:
    """Log density of ``observed`` under each particle's ``simulated`` value (N,)."""
    if family == "negbin":
        return _negbin(observed, simulated + om.count_floor, om.nb_size)
    if family == "lognormal":
        sd = uncertainty if uncertainty == uncertainty and uncertainty > 0 else om.log_sd
        z = (np.log1p(observed) - np.log1p(np.maximum(simulated, 0.0))) / sd
        return -0.5 * z * z - np.log(sd) - 0.5 * np.log(2 * np.pi)
    sd = uncertainty if uncertainty == uncertainty and uncertainty > 0 else om.unit_sd
    z = (observed - simulated) / sd
    return -0.5 * z * z - np.log(sd) - 0.5 * np.log(2 * np.pi)


SHOCK_NODES = 24
"""Gauss-Hermite nodes for integrating the lognormal shock out: reasoning: at sigma 0.8 the integral of the
negative binomial over 24 nodes agrees with 48 to 1e-3 in log density wherever the density exceeds e^-20
(tests/monitor/test_likelihood.py)."""

_X, _W = np.polynomial.hermite_e.hermegauss(SHOCK_NODES)
_LOG_W = np.log(_W / _W.sum())


def count_log_likelihood_marginal(observed: float, expected: np.ndarray, shock_variance: np.ndarray, om: ObservationModel) -> np.ndarray:
    """Log density of an observed count given each particle's expected count, its shock integrated out (N,).

    The realised count is ``expected x shock``, the shock mean-one lognormal
    with variance ``shock_variance / expected^2`` (one region's shock; a country
    total's sum of independent regional shocks is taken as one lognormal with the
    same mean and variance, Fenton-Wilkinson).  The observation is negative
    binomial of size ``r`` around the realised count plus the floor, as in
    :func:`log_likelihood`; the shock is integrated out by Gauss-Hermite
    quadrature on its log.  Rounding the realised count (variance at most 1/4)
    is left out.  Without a shock this is :func:`log_likelihood`'s density.
    """
    e = np.maximum(expected, 0.0)
    s2 = np.log1p(np.maximum(shock_variance, 0.0) / np.maximum(e * e, 1e-300))
    s = np.sqrt(s2)
    mu = e[:, None] * np.exp(s[:, None] * _X[None, :] - 0.5 * s2[:, None]) + om.count_floor
    ll = _negbin(observed, mu, om.nb_size)
    return np.asarray(logsumexp(ll + _LOG_W[None, :], axis=1))


def simulate_observation(family: str, simulated: np.ndarray, om: ObservationModel, rng: np.random.Generator) -> np.ndarray:
    """Draw observations of ``simulated`` values as the family describes them (for tests and the recovery check)."""
    if family == "negbin":
        mu = simulated + om.count_floor
        return rng.negative_binomial(om.nb_size, om.nb_size / (om.nb_size + mu)).astype(float)
    if family == "lognormal":
        return np.expm1(np.log1p(np.maximum(simulated, 0.0)) + om.log_sd * rng.standard_normal(simulated.shape))
    return np.clip(simulated + om.unit_sd * rng.standard_normal(simulated.shape), 0.0, 1.0)
