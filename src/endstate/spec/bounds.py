"""Plausibility bounds on a spec's numbers and dates, each with its source or reasoning.

A value outside these is a slip (a unit, a digit, a copied cell), never a real
mission; the validators in ``models.py`` and ``uncertain.py`` quote the reason.
"""

from __future__ import annotations

import datetime as dt

MIN_POPULATION = 10_000
"""Fewest inhabitants a theatre may have: the smallest UN member states (Tuvalu, Nauru) have about 10,000."""
MAX_POPULATION = 2e9
"""Most inhabitants: more than any country (India and China, about 1.4 billion each, UN WPP 2022)."""
MAX_DEATHS = 1e8
"""Most deaths any war may have: more than the Second World War's 70-85 million, the deadliest war recorded."""
MAX_WAR_YEARS = 100.0
"""Longest war: the longest civil conflicts recorded (Myanmar's, fought since 1948) have lasted under 80 years."""
MAX_PERSONNEL = 1e6
"""Most personnel of one contributor, assignment or ceiling: above the largest multinational deployment
(about 300,000 coalition troops in Iraq in 2003; UN peacekeeping peaked near 110,000 in 2010)."""
MAX_COST_PER_PERSON_MONTH = 1e6
"""Highest US$ per person per month: above the costliest deployment recorded (about US$1 million per US soldier
a year in Afghanistan, US$83,000 a month, CRS 2014), against UN reimbursement of about US$1,400."""
MAX_SPENDING = 1e13
"""Most US$ in a budget or ceiling: above the whole world's military spending (about US$2.4 trillion a year, SIPRI 2023)."""
MAX_ARMS_INFLOW = 1e6
"""Most weapons a month: above the world's entire small-arms production (about 8 million a year, Small Arms Survey)."""
MAX_INDICATOR = 1e9
"""Largest goal threshold on a count indicator (deaths, fighters, weapons): bounded by MAX_DEATHS' order of magnitude."""
MAX_STRATEGIES = 1_000
"""Most named strategies in one spec: a spec compares a handful of alternatives; sweeps over thousands of
variants belong to ``endstate explore``, which samples them without writing each out."""
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
DATE_REASON = "dates must lie between 1900 and 2100: peace operations date from 1948 (UNTSO), and a plan past 2100 is a slip"
MIN_REGION_PEOPLE = 100.0
"""Fewest inhabitants of a region (population times population_share): a smaller area is a village, not a region."""
