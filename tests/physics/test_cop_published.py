"""COP methods against COPs published for real plants and catalogue heat pumps (issue 19, item 3).

Each data point names its source, the temperatures the source states, and what we had to assume
where it states none. The table of errors in the module docstring of restvarme.physics.cop is
rendered from these points by ``render_error_table`` and checked here, so it is never typed by
hand: when a method changes, test_docstring_table_is_current fails and prints the new table.

Sources
-------
Drammen (Norway), Star Refrigeration's seawater heat pump for Drammen Fjernvarme (three identical
two-stage ammonia units, 13.2 MW):
- EHPA, "Drammen District Heating (Norway)", best-practice page,
  http://www.ehpa.org/technology/best-practices/large-heat-pumps/drammen-district-heating-norway/:
  fjord water drawn at 8 °C and cooled to 4 °C, heat delivered up to 90 °C, "System COP: 3,05 at
  90C".
- EHPA, Heat Pump City of the Year 2015, candidate "City of Drammen": "three identical two-stage
  ammonia heat pump units", "COP of 3.05 is achieved".
- Wikipedia, "Drammen Heat Pump" (read through an IPFS mirror of the article; the same text is at
  greenergyexpo.eu/drammen-heat-pump/): district water heated "from 65 °C to 90 °C", average COP
  3.0, seawater taken in at "around 8 or 9 °C".
Hoffmann & Pearson (2011), "Ammonia heat pumps for district heating in Norway", could not be found
to confirm the figures from the operator's side.

Danish Energy Agency (DEA), "Technology Data for Generation of Electricity and District Heating",
chapter 40 "Heat pumps", data sheets as in the DEA's workbook technology_data_for_el_and_dh.xlsx
(last modified 2022-03-16; the copy redistributed in github.com/PyPSA/technology-data, inputs/),
row "Total efficiency, net (%), name plate", 2020 column (COP = value / 100; includes auxiliary
electricity):
- sheet "40 Comp. hp, excess heat 10 MW" ("Heat pumps utilizing industrial waste heat 10 MW"):
  500 %; 3 MW: 450 %; 1 MW: 400 %. Notes: "Based on cooling water that is cooled from 25 to
  15 °C"; name plate "at district heating temperatures of 35 °C return and 70 °C forward".
- sheet "40 Comp. hp, seawater 20 MW" ("Heat pumps utilizing sea water 20 MW"): 340 %, "at a sea
  water temperature of 4 °C and district heating temperatures of 40 °C return and 80 °C forward".
  The cooling of the sea water is not stated; we assume 4 K (to 0 °C), as at Drammen. At 2 K the
  Jensen error is 2 points smaller, at 5 K 1 point larger (test_sea_water_assumption_sensitivity).
- sheets "40 Comp. hp, airsource 10 MW / 3 MW / 1 MW": 350 / 310 / 255 %, "at an ambient
  temperature of -1 °C. District heating temperatures are 35 °C return and 70 °C forward";
  "includes energy consumption for defrosting and auxiliary electricity consumption", which none
  of the methods models. The cooling of the air is not stated; we assume 6 K, PyPSA-Eur's default
  heat_source_cooling.
These conditions were checked again (2026-12) against the sheets' notes in the workbook (row 7
and notes A-C): waste heat "cooled from 25 to 15 °C", "35 °C return and 70 °C forward"; sea water
"4 °C", "40 °C return and 80 °C forward"; air "-1 °C", "35 °C return and 70 °C forward". No sheet
says how a unit is built (stages, units in series); each gives the "heat generation capacity for
one unit" (1, 3, 10, 20 MJ/s).
Jensen et al. (2018) itself could not be opened, so no data point is taken from it.

Size and heat pumps in series
-----------------------------
At the same temperatures the DEA's COP rises with unit size: waste heat 4.0 / 4.5 / 5.0, air
2.55 / 3.1 / 3.5 for 1 / 3 / 10 MW. No method that sees only temperatures can follow that: a
single COP within 15 % of both 2.55 and 3.5 would need 3.5 / 2.55 = 1.37 <= 1.15 / 0.85 = 1.35
(test_no_temperature_only_method_fits_every_size). We represent size by what large plants do
physically: they are built as several units in series on the sink (Ommen et al. 2015, see
restvarme.physics.cop.heat_pump_cop, ``series_stages``), so each lifts part of the glide. The
stage count is our assumption, by one rule: DEA units of 10 MW and more are two heat pumps in
series, smaller ones one; Drammen's three units (4.4 MW each) are one each (their two-stage
compression is inside each unit, not modelled). The single-stage figures are in
test_single_stage_jensen_misses_the_10_mw_sheets.

ESS (European Spallation Source, Lund), the 2011 conceptual design as reported by Mimer Energy
(mimerenergy.com/2011/10/mimer-appointed-to-investigate-uses-for-waste-heat/): 34 GWh/yr of heat
"at a temperature of 40 °C", heat pumps "augment temperatures to a level useable for district
heating", "1 kWh of electricity for each 4.2 kWh of heat". The sink temperature is not stated
there; searched again (2026-12: Mimer, ESS, Skanska, Kraftringen, COWI, Alfa Laval pages) without
finding one for this COP. What is published is the level Lund's heat pumps lift this kind of heat
to: Kraftringen's residual heat from MAX IV, next to ESS, "is currently transferred to Lund's
existing district heating network, after being heated to a temperature of around 90 °C with the
help of heat pumps" (sciencevillage.com/en/projekt/low-temperature-district-heating-network/),
and Lund's main network runs at "a normal average temperature of about 90 degrees" (Cool
District Heating, ctc-n.org/products/cool-district-heating-science-heats-city). So the ESS point
is evaluated at a 90 °C sink with an assumed return of 40-45 °C and source cooling of 3-10 K
(test_ess_concept_cop_42); it is not in the error table, whose sinks are all stated.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
import pytest

import restvarme.physics.cop as cop_module
from restvarme.physics.cop import (
    COP_METHODS,
    DEFAULT_COP_METHOD,
    RECOMMENDED_COP_METHOD,
    heat_pump_cop,
)


@dataclass(frozen=True)
class PublishedCop:
    """One published COP and the temperatures it was stated at."""

    label: str  # row of the docstring table; "*" marks an assumed source cooling
    cop: float
    supply_c: float
    return_c: float
    source_c: float
    source_cooling_k: float
    series_stages: int  # assumed (module docstring): 2 for DEA units of 10 MW and more


DRAMMEN = PublishedCop("Drammen, sea 8→4 °C, sink 65→90 °C", 3.05, 90.0, 65.0, 8.0, 4.0, 1)
DEA_WASTE_HEAT_10MW = PublishedCop(
    "DEA waste heat 10 MW, 25→15 °C, sink 35→70 °C", 5.0, 70.0, 35.0, 25.0, 10.0, 2
)
DEA_WASTE_HEAT_3MW = PublishedCop("DEA waste heat 3 MW, same", 4.5, 70.0, 35.0, 25.0, 10.0, 1)
DEA_WASTE_HEAT_1MW = PublishedCop("DEA waste heat 1 MW, same", 4.0, 70.0, 35.0, 25.0, 10.0, 1)
DEA_SEA_WATER_20MW = PublishedCop(
    "DEA sea water 20 MW, 4→0* °C, sink 40→80 °C", 3.4, 80.0, 40.0, 4.0, 4.0, 2
)
DEA_AIR_10MW = PublishedCop(
    "DEA air 10 MW, -1→-7* °C, sink 35→70 °C", 3.5, 70.0, 35.0, -1.0, 6.0, 2
)
DEA_AIR_3MW = PublishedCop("DEA air 3 MW, same*", 3.1, 70.0, 35.0, -1.0, 6.0, 1)
DEA_AIR_1MW = PublishedCop("DEA air 1 MW, same*", 2.55, 70.0, 35.0, -1.0, 6.0, 1)

PUBLISHED = [
    DRAMMEN,
    DEA_WASTE_HEAT_10MW,
    DEA_WASTE_HEAT_3MW,
    DEA_WASTE_HEAT_1MW,
    DEA_SEA_WATER_20MW,
    DEA_AIR_10MW,
    DEA_AIR_3MW,
    DEA_AIR_1MW,
]
# The large units (10 MW and more) of the kind district heating builds
LARGE = [DRAMMEN, DEA_WASTE_HEAT_10MW, DEA_SEA_WATER_20MW, DEA_AIR_10MW]


def cop_by(method: str, point: PublishedCop, **overrides) -> float:
    """heat_pump_cop at its defaults (no cap) for one data point, with its series stages."""
    settings = {
        "temperature_return_c": point.return_c,
        "source_cooling_k": point.source_cooling_k,
        "method": method,
        "max_cop": 1e9,
        "series_stages": point.series_stages,
    }
    return heat_pump_cop(point.supply_c, point.source_c, **(settings | overrides))


def error_percent(method: str, point: PublishedCop) -> float:
    return (cop_by(method, point) / point.cop - 1.0) * 100.0


def render_error_table() -> str:
    """The docstring table: error of each method at its defaults on each point, in %."""
    label_width = max(len(p.label) for p in PUBLISHED)
    widths = [label_width, 9, 6] + [max(len(m), 6) for m in COP_METHODS]
    rule = "  ".join("=" * w for w in widths)

    def line(cells):
        first, *rest = cells
        padded = [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)]
        return "  ".join([first.ljust(widths[0]), *padded])

    errors = {m: [error_percent(m, p) for p in PUBLISHED] for m in COP_METHODS}
    lines = [rule, line(["Data point", "published", "stages", *COP_METHODS]), rule]
    for i, point in enumerate(PUBLISHED):
        errors_i = (f"{errors[m][i]:+.1f}" for m in COP_METHODS)
        lines.append(line([point.label, f"{point.cop:.2f}", str(point.series_stages), *errors_i]))
    lines.append(rule)
    for name, summary in (("mean |error|", np.mean), ("largest |error|", np.max)):
        summaries = (f"{summary(np.abs(errors[m])):.1f}" for m in COP_METHODS)
        lines.append(line([name, "", "", *summaries]))
    lines.append(rule)
    return "\n".join(lines)


def test_docstring_table_is_current():
    table = render_error_table()
    docstring = inspect.cleandoc(cop_module.__doc__)
    assert table in docstring, (
        "The error table in restvarme/physics/cop.py's module docstring is stale; replace it "
        "with:\n\n" + table
    )


@pytest.mark.parametrize("point", PUBLISHED, ids=lambda p: p.label)
def test_published_point_is_stated_consistently(point):
    # the assumed source coolings are marked in the label, the stated ones are not
    assumed = point in (DEA_SEA_WATER_20MW, DEA_AIR_10MW, DEA_AIR_3MW, DEA_AIR_1MW)
    assert ("*" in point.label) == assumed
    assert point.return_c < point.supply_c


def mean_abs_error(method: str, **overrides) -> float:
    return float(
        np.mean([abs(cop_by(method, p, **overrides) / p.cop - 1.0) * 100.0 for p in PUBLISHED])
    )


def test_default_method_fits_best():
    # The default rests on this: the smallest mean and the smallest largest error over all
    # points, and the closest of the three methods on every large unit.
    mean = {m: mean_abs_error(m) for m in COP_METHODS}
    worst = {m: max(abs(error_percent(m, p)) for p in PUBLISHED) for m in COP_METHODS}
    assert DEFAULT_COP_METHOD == RECOMMENDED_COP_METHOD == "jensen2018"
    assert DEFAULT_COP_METHOD == min(mean, key=mean.get) == min(worst, key=worst.get)
    for point in LARGE:
        closest = min(COP_METHODS, key=lambda m: abs(error_percent(m, point)))
        assert closest == DEFAULT_COP_METHOD, point.label
    # and heat_pump_cop's own default is that method
    point = DRAMMEN
    assert heat_pump_cop(
        point.supply_c,
        point.source_c,
        temperature_return_c=point.return_c,
        source_cooling_k=point.source_cooling_k,
        max_cop=1e9,
    ) == cop_by("jensen2018", point)


@pytest.mark.parametrize("point", PUBLISHED, ids=lambda p: p.label)
def test_default_method_within_15_percent(point):
    assert abs(error_percent(DEFAULT_COP_METHOD, point)) <= 15.0


GRADES = np.arange(0.30, 0.9001, 0.005)


def fitted_quality_grade(method: str, points=PUBLISHED) -> float:
    """The quality grade (grid 0.30-0.90 by 0.005) with the smallest mean |error| on points."""
    ideal = {p.label: cop_by(method, p, quality_grade=1.0) for p in points}
    errors = [np.mean([abs(g * ideal[p.label] / p.cop - 1) for p in points]) for g in GRADES]
    return float(GRADES[int(np.argmin(errors))])


def test_default_is_the_best_candidate_within_15_percent():
    """The rule that picks the default: of the candidates below, the smallest mean |error| among
    those within 15 % on every point.

    Candidates (each with the points' series stages): Carnot and Lorenz at quality grade 0.5,
    and at the grade that minimises their mean |error| on these eight points (the fit data);
    Jensen et al. (2018) at PyPSA-Eur's parameters (nothing fitted). Mean / largest |error| and
    residuals [%]:

    ==================  =====  =======  ================================================
    candidate           mean   largest  residuals (order of PUBLISHED)
    ==================  =====  =======  ================================================
    carnot x 0.705      6.7    20.0     -6.7 +0.2 +0.7 +13.3 -5.0 -6.1 -1.3 +20.0
    lorenz x 0.615      10.8   22.8     -11.0 -1.8 +9.2 +22.8 -8.6 -11.3 +0.2 +21.8
    jensen2018          9.9    13.9     -13.4 -10.8 -10.1 +1.1 -10.4 -13.2 -6.3 +13.9
    ==================  =====  =======  ================================================

    (grade 0.5: table in the module docstring). The fitted Carnot grade has the smallest mean
    error, also left one point out at a time (7.8 %), but misses 15 % on the DEA's 1 MW
    air-source sheet (+20.0 %, +21.7 % left out). A Carnot grade chosen to just stay within
    15 % everywhere (0.675, mean 8.3 %) would be tuned to this test and is not a candidate.
    """
    candidates = {"jensen2018": {}}
    for method in ("carnot", "lorenz"):
        candidates[f"{method} x 0.5"] = {"quality_grade": 0.5}
        candidates[f"{method} x fitted"] = {"quality_grade": fitted_quality_grade(method)}
    assert candidates["carnot x fitted"]["quality_grade"] == pytest.approx(0.705)
    assert candidates["lorenz x fitted"]["quality_grade"] == pytest.approx(0.615)

    def method_of(name):
        return name.split(" ")[0]

    residuals = {
        name: [error_percent_with(method_of(name), p, **kw) for p in PUBLISHED]
        for name, kw in candidates.items()
    }
    mean = {name: float(np.mean(np.abs(r))) for name, r in residuals.items()}
    within = [name for name, r in residuals.items() if max(abs(x) for x in r) <= 15.0]
    assert within == ["jensen2018"]
    assert min(within, key=mean.get) == DEFAULT_COP_METHOD
    assert mean["carnot x fitted"] == pytest.approx(6.68, abs=0.01)
    assert mean["jensen2018"] == pytest.approx(9.91, abs=0.01)
    assert np.round(residuals["carnot x fitted"][-1], 1) == 20.0

    # leave one out: the fitted Carnot grade predicts the 1 MW air-source sheet 21.7 % high
    rest = [p for p in PUBLISHED if p is not DEA_AIR_1MW]
    grade = fitted_quality_grade("carnot", rest)
    assert error_percent_with("carnot", DEA_AIR_1MW, quality_grade=grade) == pytest.approx(
        21.7, abs=0.05
    )


def error_percent_with(method: str, point: PublishedCop, **overrides) -> float:
    return (cop_by(method, point, **overrides) / point.cop - 1.0) * 100.0


def test_no_temperature_only_method_fits_every_size():
    # DEA air-source 1 MW and 10 MW share their temperatures; a COP within 15 % of both would
    # have to lie in [3.5 * 0.85, 2.55 * 1.15] = [2.975, 2.9325], which is empty.
    assert DEA_AIR_10MW.cop * 0.85 > DEA_AIR_1MW.cop * 1.15
    for method in COP_METHODS:
        single = [cop_by(method, p, series_stages=1) for p in (DEA_AIR_1MW, DEA_AIR_10MW)]
        assert single[0] == single[1]


def test_single_stage_jensen_misses_the_10_mw_sheets():
    """Without series stages the default is -19.1 % (waste heat 10 MW) and -17.0 % (air 10 MW);
    two heat pumps in series bring them to -10.8 % and -13.2 %; the sea-water 20 MW point goes
    from -14.0 % to -10.4 %."""
    single = {
        p.label: error_percent_with("jensen2018", p, series_stages=1)
        for p in (DEA_WASTE_HEAT_10MW, DEA_AIR_10MW, DEA_SEA_WATER_20MW)
    }
    assert list(np.round(list(single.values()), 1)) == [-19.1, -17.0, -14.0]
    staged = [error_percent("jensen2018", p) for p in (DEA_WASTE_HEAT_10MW, DEA_AIR_10MW)]
    assert list(np.round(staged, 1)) == [-10.8, -13.2]
    assert round(error_percent("jensen2018", DEA_SEA_WATER_20MW), 1) == -10.4
    # more stages would not rescue the smallest units: stages only raise the COP, and the 1 MW
    # air-source sheet is already 13.9 % above the single-stage default
    assert error_percent("jensen2018", DEA_AIR_1MW) == pytest.approx(13.9, abs=0.05)


def test_largest_units_are_beyond_a_single_stage_cycle():
    # With an ideal compressor (isentropic efficiency 1) the single-stage approximation gives
    # Drammen's and the DEA sea-water COPs (within 0.5 %), and falls short of the DEA's 10 MW
    # waste-heat and air-source COPs; no valid isentropic efficiency (at most 1) reaches those
    # with one stage.
    def ideal_compressor(point):
        return cop_by("jensen2018", point, isentropic_efficiency=1.0, series_stages=1)

    assert ideal_compressor(DRAMMEN) == pytest.approx(DRAMMEN.cop, rel=0.005)
    assert ideal_compressor(DEA_SEA_WATER_20MW) == pytest.approx(DEA_SEA_WATER_20MW.cop, rel=0.005)
    assert ideal_compressor(DEA_WASTE_HEAT_10MW) < DEA_WASTE_HEAT_10MW.cop
    assert ideal_compressor(DEA_AIR_10MW) < DEA_AIR_10MW.cop
    # the smaller units are reached with an ordinary compressor
    assert ideal_compressor(DEA_WASTE_HEAT_3MW) > DEA_WASTE_HEAT_3MW.cop


def test_drammen_by_name():
    """Drammen: 8 -> 4 °C seawater, 65 -> 90 °C, system COP 3.05 (EHPA); issue 19's figures.

    Carnot x 0.5 (the default before issue 19) gives 2.02 (issue 19: "Carnot x 0.5 gives
    2.02"); Jensen et al. (2018) with PyPSA-Eur's parameters 2.64, 13 % low for a two-stage
    plant.
    """
    assert cop_by("carnot", DRAMMEN) == pytest.approx(2.02, abs=0.005)
    assert cop_by("jensen2018", DRAMMEN) == pytest.approx(2.640138565383374, rel=1e-12)
    assert cop_by("jensen2018", DRAMMEN) == pytest.approx(3.05, rel=0.15)


def test_dea_waste_heat_and_sea_water_by_name():
    """DEA chapter 40, name plate 2020: waste heat 10 / 3 / 1 MW COP 5.0 / 4.5 / 4.0 at 25 -> 15 °C
    and 35 -> 70 °C; sea water 20 MW COP 3.4 at 4 °C and 40 -> 80 °C (4 K cooling assumed)."""
    single = cop_by("jensen2018", DEA_WASTE_HEAT_1MW)
    # the three sizes share their temperatures: one stage gives them one COP, 4.05
    assert cop_by("jensen2018", DEA_WASTE_HEAT_3MW) == single
    assert single == pytest.approx(4.0458611862313045, rel=1e-12)
    assert single == pytest.approx(4.5, rel=0.15)
    assert single == pytest.approx(4.0, rel=0.15)
    # two in series, each lifting 35 -> 52.5 and 52.5 -> 70 °C: 4.46
    assert cop_by("jensen2018", DEA_WASTE_HEAT_10MW) == pytest.approx(4.460178031671279, rel=1e-12)
    assert cop_by("jensen2018", DEA_WASTE_HEAT_10MW) == pytest.approx(5.0, rel=0.15)
    assert cop_by("jensen2018", DEA_SEA_WATER_20MW) == pytest.approx(3.4, rel=0.15)


def test_sea_water_assumption_sensitivity():
    # The DEA does not state how far the 4 °C sea water is cooled. From 2 K to 5 K (to -1 °C,
    # near the freezing point of sea water) the default COP (two in series) falls by about 1 %
    # per K: -8.5 % at 2 K to -11.3 % at 5 K, within 15 % throughout (one stage: -11.8 % to
    # -15.1 %).
    errors = [
        cop_by("jensen2018", DEA_SEA_WATER_20MW, source_cooling_k=k) / 3.4 - 1 for k in (2, 3, 4, 5)
    ]
    assert np.all(np.diff(errors) < 0)
    assert errors[0] == pytest.approx(-0.085, abs=0.001)
    assert errors[-1] == pytest.approx(-0.113, abs=0.001)
    single = cop_by("jensen2018", DEA_SEA_WATER_20MW, source_cooling_k=5, series_stages=1)
    assert single / 3.4 - 1 == pytest.approx(-0.151, abs=0.001)


def ess_default_cop(supply_c, cooling_k: float = 5.0, return_c: float = 45.0):
    """The default COP for the ESS concept: the 40 °C stream cooled by ``cooling_k`` into Lund's
    main network (return ``return_c``, assumed)."""
    return heat_pump_cop(
        supply_c, 40.0, temperature_return_c=return_c, source_cooling_k=cooling_k, max_cop=1e9
    )


def test_ess_concept_cop_42():
    """ESS 2011 concept: 40 °C heat lifted "to a level useable for district heating" at COP 4.2.

    Stated: the source, 40 °C, and the COP. Sink: about 90 °C, the level Lund's heat pumps lift
    Brunnshög's residual heat to for the main network (module docstring, sourced). Assumed: the
    return, 40-45 °C (the examples use 45 °C), and the source cooling, 3-10 K (default 5 K).

    The default gives 4.50 at 90 °C, return 45 °C, 5 K (+7.2 %), and stays within 15 % over the
    assumed ranges: -2.1 to +14.6 %. Carnot x 0.5 (the old default) gives 3.11 (-25.9 %); it
    reaches 4.2 only at a 72.6 °C sink, whatever return or cooling. Over the supply curve the Lund
    example assumes (70-100 °C) the default is within 15 % from 83.8 °C up (5.84 at 70 °C).
    """
    errors = [
        ess_default_cop(90.0, cooling_k, return_c) / 4.2 - 1
        for return_c in (40.0, 45.0)
        for cooling_k in (3.0, 5.0, 10.0)
    ]
    assert max(abs(e) for e in errors) <= 0.15
    assert min(errors) == pytest.approx(-0.021, abs=0.001)
    assert max(errors) == pytest.approx(0.146, abs=0.001)
    assert ess_default_cop(90.0) == pytest.approx(4.501, abs=0.001)
    carnot_90 = heat_pump_cop(90.0, 40.0, method="carnot")
    assert carnot_90 / 4.2 - 1 == pytest.approx(-0.259, abs=0.001)
    supply = np.arange(70.0, 100.0 + 1e-9, 0.01)
    within = np.abs(ess_default_cop(supply) / 4.2 - 1) <= 0.15
    assert supply[within].min() == pytest.approx(83.78, abs=0.011)
    assert ess_default_cop(70.0) == pytest.approx(5.842, abs=0.001)
    carnot = heat_pump_cop(supply, 40.0, method="carnot", max_cop=1e9)
    assert supply[np.argmin(np.abs(carnot - 4.2))] == pytest.approx(72.64, abs=0.011)


def test_scenario_docs_quote_these_drammen_figures():
    # docs/scenario.md (heat pump section) quotes Drammen's COPs; they are the ones computed here
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "scenario.md").read_text(encoding="utf-8")
    quoted = (
        f"measures {DRAMMEN.cop:.2f}; `jensen2018` gives {cop_by('jensen2018', DRAMMEN):.2f}, "
        f"Carnot × 0.5 {cop_by('carnot', DRAMMEN):.2f}"
    )
    assert quoted in " ".join(docs.split())
