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
Jensen et al. (2018) itself could not be opened, so no data point is taken from it.

ESS (European Spallation Source, Lund), the 2011 conceptual design as reported by Mimer Energy
(mimerenergy.com/2011/10/mimer-appointed-to-investigate-uses-for-waste-heat/): 34 GWh/yr of heat
"at a temperature of 40 °C", heat pumps "augment temperatures to a level useable for district
heating", "1 kWh of electricity for each 4.2 kWh of heat". The sink temperature is not stated
there, and we found no source that states it for this COP, so the ESS point is not in the error
table; test_ess_concept_cop_42 only shows which sink temperatures each method needs for 4.2.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
import pytest

import restvarme.physics.cop as cop_module
from restvarme.physics.cop import COP_METHODS, RECOMMENDED_COP_METHOD, heat_pump_cop


@dataclass(frozen=True)
class PublishedCop:
    """One published COP and the temperatures it was stated at."""

    label: str  # row of the docstring table; "*" marks an assumed source cooling
    cop: float
    supply_c: float
    return_c: float
    source_c: float
    source_cooling_k: float


DRAMMEN = PublishedCop("Drammen, sea 8→4 °C, sink 65→90 °C", 3.05, 90.0, 65.0, 8.0, 4.0)
DEA_WASTE_HEAT_10MW = PublishedCop(
    "DEA waste heat 10 MW, 25→15 °C, sink 35→70 °C", 5.0, 70.0, 35.0, 25.0, 10.0
)
DEA_WASTE_HEAT_3MW = PublishedCop("DEA waste heat 3 MW, same", 4.5, 70.0, 35.0, 25.0, 10.0)
DEA_WASTE_HEAT_1MW = PublishedCop("DEA waste heat 1 MW, same", 4.0, 70.0, 35.0, 25.0, 10.0)
DEA_SEA_WATER_20MW = PublishedCop(
    "DEA sea water 20 MW, 4→0* °C, sink 40→80 °C", 3.4, 80.0, 40.0, 4.0, 4.0
)
DEA_AIR_10MW = PublishedCop("DEA air 10 MW, -1→-7* °C, sink 35→70 °C", 3.5, 70.0, 35.0, -1.0, 6.0)
DEA_AIR_3MW = PublishedCop("DEA air 3 MW, same*", 3.1, 70.0, 35.0, -1.0, 6.0)
DEA_AIR_1MW = PublishedCop("DEA air 1 MW, same*", 2.55, 70.0, 35.0, -1.0, 6.0)

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
    """heat_pump_cop at its defaults (no cap) for one data point."""
    settings = {
        "temperature_return_c": point.return_c,
        "source_cooling_k": point.source_cooling_k,
        "method": method,
        "max_cop": 1e9,
    }
    return heat_pump_cop(point.supply_c, point.source_c, **(settings | overrides))


def error_percent(method: str, point: PublishedCop) -> float:
    return (cop_by(method, point) / point.cop - 1.0) * 100.0


def render_error_table() -> str:
    """The docstring table: error of each method at its defaults on each point, in %."""
    label_width = max(len(p.label) for p in PUBLISHED)
    widths = [label_width, 9] + [max(len(m), 6) for m in COP_METHODS]
    rule = "  ".join("=" * w for w in widths)

    def line(cells):
        first, *rest = cells
        padded = [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)]
        return "  ".join([first.ljust(widths[0]), *padded])

    errors = {m: [error_percent(m, p) for p in PUBLISHED] for m in COP_METHODS}
    lines = [rule, line(["Data point", "published", *COP_METHODS]), rule]
    for i, point in enumerate(PUBLISHED):
        lines.append(
            line([point.label, f"{point.cop:.2f}", *(f"{errors[m][i]:+.1f}" for m in COP_METHODS)])
        )
    lines.append(rule)
    for name, summary in (("mean |error|", np.mean), ("largest |error|", np.max)):
        lines.append(line([name, "", *(f"{summary(np.abs(errors[m])):.1f}" for m in COP_METHODS)]))
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


def test_recommended_method_fits_best():
    # The recommendation rests on this: smallest mean and smallest largest error over all points,
    # and the closest of the three methods on every large unit.
    mean = {m: np.mean([abs(error_percent(m, p)) for p in PUBLISHED]) for m in COP_METHODS}
    worst = {m: max(abs(error_percent(m, p)) for p in PUBLISHED) for m in COP_METHODS}
    assert RECOMMENDED_COP_METHOD == min(mean, key=mean.get) == min(worst, key=worst.get)
    for point in LARGE:
        closest = min(COP_METHODS, key=lambda m: abs(error_percent(m, point)))
        assert closest == RECOMMENDED_COP_METHOD, point.label


@pytest.mark.parametrize(
    "point",
    [DRAMMEN, DEA_SEA_WATER_20MW, DEA_WASTE_HEAT_3MW, DEA_WASTE_HEAT_1MW, DEA_AIR_3MW, DEA_AIR_1MW],
    ids=lambda p: p.label,
)
def test_recommended_method_within_15_percent(point):
    assert abs(error_percent(RECOMMENDED_COP_METHOD, point)) <= 15.0


@pytest.mark.parametrize("point", [DEA_WASTE_HEAT_10MW, DEA_AIR_10MW], ids=lambda p: p.label)
def test_recommended_method_misses_the_largest_dea_units_on_the_low_side(point):
    # Not within 15 %: the DEA's name-plate COPs rise with unit size at the same temperatures
    # (waste heat 1 / 3 / 10 MW), which no method here represents; the single-stage Jensen
    # approximation with PyPSA-Eur's parameters errs on the conservative side for the largest.
    error = error_percent(RECOMMENDED_COP_METHOD, point)
    assert -20.0 < error < -15.0


def test_largest_units_are_beyond_a_single_stage_cycle():
    # The module docstring's claim: with an ideal compressor (isentropic efficiency 1) the
    # single-stage approximation gives Drammen's and the DEA sea-water COPs (within 0.5 %), and
    # falls short of the DEA's 10 MW waste-heat and air-source COPs; no valid isentropic
    # efficiency (at most 1) reaches those.
    def ideal_compressor(point):
        return cop_by("jensen2018", point, isentropic_efficiency=1.0)

    assert ideal_compressor(DRAMMEN) == pytest.approx(DRAMMEN.cop, rel=0.005)
    assert ideal_compressor(DEA_SEA_WATER_20MW) == pytest.approx(DEA_SEA_WATER_20MW.cop, rel=0.005)
    assert ideal_compressor(DEA_WASTE_HEAT_10MW) < DEA_WASTE_HEAT_10MW.cop
    assert ideal_compressor(DEA_AIR_10MW) < DEA_AIR_10MW.cop
    # the smaller units are reached with an ordinary compressor
    assert ideal_compressor(DEA_WASTE_HEAT_3MW) > DEA_WASTE_HEAT_3MW.cop


def test_drammen_by_name():
    """Drammen: 8 -> 4 °C seawater, 65 -> 90 °C, system COP 3.05 (EHPA); issue 19's figures.

    The default Carnot x 0.5 gives 2.02 (issue 19: "Carnot x 0.5 gives 2.02"); Jensen et al.
    (2018) with PyPSA-Eur's parameters 2.64, 13 % low for a two-stage plant.
    """
    assert cop_by("carnot", DRAMMEN) == pytest.approx(2.02, abs=0.005)
    assert cop_by("jensen2018", DRAMMEN) == pytest.approx(2.640138565383374, rel=1e-12)
    assert cop_by("jensen2018", DRAMMEN) == pytest.approx(3.05, rel=0.15)


def test_dea_waste_heat_and_sea_water_by_name():
    """DEA chapter 40, name plate 2020: waste heat 10 / 3 / 1 MW COP 5.0 / 4.5 / 4.0 at 25 -> 15 °C
    and 35 -> 70 °C; sea water 20 MW COP 3.4 at 4 °C and 40 -> 80 °C (4 K cooling assumed)."""
    waste_heat = cop_by("jensen2018", DEA_WASTE_HEAT_10MW)
    # the three sizes share their temperatures, so every method gives them one COP
    assert cop_by("jensen2018", DEA_WASTE_HEAT_1MW) == waste_heat
    assert waste_heat == pytest.approx(4.5, rel=0.15)
    assert waste_heat == pytest.approx(4.0, rel=0.15)
    assert cop_by("jensen2018", DEA_SEA_WATER_20MW) == pytest.approx(3.4, rel=0.15)


def test_sea_water_assumption_sensitivity():
    # The DEA does not state how far the 4 °C sea water is cooled. From 2 K to 5 K (to -1 °C,
    # near the freezing point of sea water) the Jensen COP falls by about 1 % per K: within 15 %
    # up to 4 K, just outside at 5 K.
    errors = [
        cop_by("jensen2018", DEA_SEA_WATER_20MW, source_cooling_k=k) / 3.4 - 1 for k in (2, 3, 4, 5)
    ]
    assert np.all(np.diff(errors) < 0)
    assert errors[0] == pytest.approx(-0.118, abs=0.001)
    assert errors[-1] == pytest.approx(-0.151, abs=0.001)


def test_ess_concept_cop_42():
    """ESS 2011 concept: 40 °C heat lifted "to a level useable for district heating" at COP 4.2.

    The sink is not stated, so nothing can be validated; this records what 4.2 implies. With
    returns of 35-55 °C and the 40 °C source cooled by 3-10 K (both assumed), Jensen et al.
    (2018) reaches 4.2 at supplies of about 83-106 °C, Lorenz x 0.5 at about 79-110 °C, and
    Carnot x 0.5 (which sees neither return nor cooling) at 72.6 °C. A 2015 report on the later
    design (fjernvarme.no, 10 March 2015, citing Sweco and ESS) names 80 °C for the municipal
    network and 55 °C for ESS's own buildings, without a COP.
    """
    supply = np.arange(50.0, 130.0, 0.01)
    crossings = {method: [] for method in COP_METHODS}
    for method in COP_METHODS:
        for return_c in (35.0, 45.0, 55.0):
            for cooling_k in (3.0, 10.0):
                cop = heat_pump_cop(
                    np.maximum(supply, return_c),
                    40.0,
                    temperature_return_c=return_c,
                    source_cooling_k=cooling_k,
                    method=method,
                    max_cop=1e9,
                )
                crossings[method].append(supply[np.argmin(np.abs(cop - 4.2))])
    assert 82.0 < min(crossings["jensen2018"]) and max(crossings["jensen2018"]) < 107.0
    assert 78.0 < min(crossings["lorenz"]) and max(crossings["lorenz"]) < 111.0
    assert np.allclose(crossings["carnot"], 72.64, atol=0.01)
