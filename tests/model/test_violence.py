"""Mechanism 2, violence: expected deaths, war intensity, overdispersion, unbiased rounding."""

from __future__ import annotations

import math

import numpy as np

from endstate.model.params import DEFAULTS
from endstate.model.peacekeeping import MissionEffect
from endstate.model.state import values
from endstate.model.violence import (
    ViolenceParams,
    armed_share,
    expected_deaths,
    lognormal_shock,
    resumed_war_rate,
    stochastic_round,
    violence_index,
    war_log_intensity,
)

B = DEFAULTS.v("battle_deaths_per_fighter")
C = DEFAULTS.v("civilian_deaths_per_fighter")
EFFECT = DEFAULTS.v("coverage_violence_effect")
JUSTICE = DEFAULTS.v("justice_violence_effect")
SIGMA = DEFAULTS.v("violence_shock_sigma")
P = ViolenceParams.of(values(DEFAULTS))


B_PARTY = DEFAULTS.v("party_battle_per_fighter")


def deaths(
    spoilers=1000.0, armed=0.5, coverage=0.0, tension=0.5, processing=0.5, at_war=False, war_rate=0.0, share=1.0, fb=1.0, fc=1.0, party=0.0
):
    return expected_deaths(spoilers, armed, coverage, tension, processing, at_war, war_rate, share, MissionEffect(fb, fc, 0.0), party, P)


def test_expected_deaths_by_hand():
    # active = 1000 * (0.5 + 0.5) * (1 - 0.85 * 0) = 1000 fighters
    b, c = deaths()
    assert math.isclose(b, B * 1000)
    assert math.isclose(c, C * 1000 * (1 + 0.5) * (1 - JUSTICE * 0.5))


def test_a_country_at_peace_stays_below_ucdps_battle_death_threshold():
    # 20,000 armed hold-outs (Sierra Leone's RUF in 2002), nobody checking them: fewer than 25 battle deaths a year
    b, _ = deaths(spoilers=20_000.0, armed=0.5)
    assert 12 * b < 25.0


def test_fighting_aimed_at_a_party_force_adds_its_rate_uncut_by_the_troops():
    # active = 1000 fighters; a force wholly a party (party 1) whose troops would cut third-party fighting to a quarter
    b0, c0 = deaths(fb=0.25)
    b1, c1 = deaths(fb=0.25, party=1.0)
    assert math.isclose(b1 - b0, B_PARTY * 1000) and math.isclose(c1, c0)
    # half a party: half the rate; an insurgency of 10,000 holding against it is a war in UCDP's terms (25 a year)
    bh, _ = deaths(spoilers=10_000.0, fb=0.25, party=0.5)
    assert math.isclose(bh, (B * 0.25 + 0.5 * B_PARTY) * 10_000) and 12 * bh > 25.0
    # at war it goes on beside the resumed conflict's rate (which replaces the hold-outs' killing), civilians unchanged
    bw, cw = deaths(at_war=True, war_rate=100.0, party=1.0)
    b0w, c0w = deaths(at_war=True, war_rate=100.0)
    assert math.isclose(bw - b0w, B_PARTY * 1000) and cw == c0w


def test_mission_factors_multiply_battle_and_civilian_deaths_in_peace_and_war():
    for war in (False, True):
        b0, c0 = deaths(at_war=war, war_rate=100.0)
        b1, c1 = deaths(at_war=war, war_rate=100.0, fb=0.27, fc=0.1)
        assert math.isclose(b1, 0.27 * b0) and math.isclose(c1, 0.1 * c0)


def test_coverage_cuts_deaths_by_one_minus_effect_times_coverage():
    b0, c0 = deaths(coverage=0.0)
    b1, c1 = deaths(coverage=0.8)
    factor = 1.0 - EFFECT * 0.8  # 0.32
    assert math.isclose(b1, b0 * factor) and math.isclose(c1, c0 * factor)
    assert b1 < b0


def test_justice_processing_cuts_civilian_deaths_only():
    b0, c0 = deaths(processing=0.0)
    b1, c1 = deaths(processing=1.0)
    assert b1 == b0
    assert math.isclose(c1, c0 * (1.0 - JUSTICE))


def test_armed_share_and_its_effect():
    assert math.isclose(armed_share(99.0, 0.0), 99.0 / 100.0)
    assert armed_share(0.0, 50.0) == 0.0
    # unarmed fighters still count half: active = S * (0.5 + armed)
    b_unarmed, _ = deaths(armed=0.0)
    b_armed, _ = deaths(armed=1.0)
    assert math.isclose(b_armed, 3.0 * b_unarmed)


def test_war_intensity_replaces_peace_violence_and_ignores_coverage():
    b, c = deaths(at_war=True, war_rate=200.0, share=0.25, coverage=0.9)
    ratio = DEFAULTS.v("civilian_per_battle_death_at_war")
    assert math.isclose(b, 200.0 * 0.25) and math.isclose(c, ratio * 200.0 * 0.25)


def test_resumed_war_rate_is_the_ucdp_lognormal_by_its_quantile():
    a, s, sigma = DEFAULTS.v("war_intensity_intercept"), DEFAULTS.v("war_intensity_slope"), DEFAULTS.v("war_intensity_sigma")
    mu = war_log_intensity(np.array([10.0, 1000.0, 1e5]), a, s)
    assert mu[0] == war_log_intensity(np.array([25.0]), a, s)[0]  # floored at 25 deaths
    assert math.isclose(mu[1], a + 3 * s)
    median = resumed_war_rate(mu, np.full(3, 0.5), sigma)
    assert np.allclose(median, np.exp(mu) / 12.0)
    # the 84th percentile is one sigma up; bigger old wars resume bigger
    assert math.isclose(resumed_war_rate(mu[1:2], np.array([0.8413447460685429]), sigma)[0], math.exp(mu[1] + sigma) / 12.0, rel_tol=1e-9)
    assert median[2] > median[1]


def test_lognormal_shock_has_mean_one_and_the_stated_variance():
    # exact expectation over the standard normal by Gauss-Hermite quadrature
    x, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    s = np.array([lognormal_shock(xi, SIGMA) for xi in x])
    assert math.isclose((w * s).sum(), 1.0, rel_tol=1e-9)
    var = (w * (s - 1.0) ** 2).sum()
    assert math.isclose(var, math.exp(SIGMA**2) - 1.0, rel_tol=1e-6)
    assert math.isclose(var, 0.9, abs_tol=0.01)  # the parameter's source: variance about 0.9 squared means
    assert np.all(s > 0)


def test_stochastic_rounding_is_unbiased_over_the_uniforms():
    n = 10_000
    u = (np.arange(n) + 0.5) / n  # an even grid over [0, 1)
    for x in (0.0, 0.3, 2.3, 7.85, 41.0):
        r = np.array([stochastic_round(x, ui) for ui in u])
        assert set(np.unique(r)) <= {math.floor(x), math.ceil(x)}
        assert math.isclose(r.mean(), x, abs_tol=1e-9)


def test_violence_index_scale():
    scale = DEFAULTS.v("violence_index_scale")
    v = violence_index(np.array([0.0, scale, 10.0 * scale]), scale)
    assert v[0] == 0.0
    assert math.isclose(v[1], 1.0 - math.exp(-1.0))
    assert v[2] < 1.0


def test_resumed_war_rate_is_elementwise_bit_for_bit():
    """A run's rate is the same number computed with every run's (as the engine does once for a batch:
    endstate.model.step.resume_wars) or alone, at any position in an array of any length."""
    rng = np.random.default_rng(5)
    n = 4099
    mu = rng.uniform(2.0, 12.0, n)
    q = np.concatenate([rng.uniform(0.0, 1.0, n - 7), [0.0, 1.0, 1e-15, 1.0 - 1e-15, 0.5, np.nan, 1e-300]])
    sigma = 1.3
    every = resumed_war_rate(mu, q, sigma)
    for i in range(n):
        alone = resumed_war_rate(mu[i : i + 1], q[i : i + 1], sigma)
        assert alone.view(np.int64)[0] == every.view(np.int64)[i], i
    for size in (2, 3, 5, 8, 9, 17, 100):
        at = rng.integers(0, n - size)
        np.testing.assert_array_equal(resumed_war_rate(mu[at : at + size], q[at : at + size], sigma).view(np.int64), every[at : at + size].view(np.int64))
    idx = rng.choice(n, 40, replace=False)  # gathered runs, as relapsed runs are
    np.testing.assert_array_equal(resumed_war_rate(mu[idx], q[idx], sigma).view(np.int64), every[idx].view(np.int64))
