"""Solar thermal collector fields feeding a heat network (the Danish solar district-heating kind).

A field of gross collector area A [m²] gives, in each hour, at most

    Q_max[t] = A · G[t] · η[t] / 10⁶  [MW],
    η[t] = η0 - a1·ΔT[t]/G[t] - a2·ΔT[t]²/G[t],  clipped at 0,
    ΔT[t] = (T_supply[t] + T_return[t]) / 2 - T_outdoor[t]

with the steady-state collector parameters of EN ISO 9806 (η0, a1, a2: a Solar Keymark data
sheet, per gross area; :func:`restvarme.physics.solar.collector_efficiency`), the mean collector
temperature taken as the mean of the network's supply and return
(:func:`restvarme.physics.solar.mean_collector_temperature_c`), and G the irradiance on the
collector plane [W/m²]: given directly, or transposed with pvlib from a global horizontal
irradiance series (:func:`restvarme.physics.solar.plane_of_array_irradiance`: solar position,
Erbs decomposition, Hay–Davies transposition) at the field's tilt and azimuth. Without a series,
the location's built-in climate supplies a SYNTHETIC irradiance year
(:func:`restvarme.inputs.irradiance.synthetic_ghi_w_per_m2`: clear sky times monthly clearness
calibrated to a cited annual sum; not measured weather).

Defaults: the Arcon-Sunmark HTHEATstore 35/10 large-module flat plate (Solar Keymark licence
SP SC0843-14: η0,b = 0.745, Kd = 0.93, a1 = 2.067 W/(m²K), a2 = 0.009 W/(m²K²); η0 for global
irradiance η0,b·(0.85 + 0.15·Kd); see :data:`restvarme.physics.solar.COLLECTORS`), tilted 35°
and facing south.

The heat is curtailable (0 <= Q <= Q_max), its origin is solar (renewable, RED II Art. 2(1)),
and the area is expandable at a cost per m².
"""

from __future__ import annotations

from typing import Annotated, Literal

import linopy
import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from restvarme.inputs.context import UnitInputs
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import CapacityKind, add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.linear import add_variables
from restvarme.scenario.base import Efficiency, Fraction, NonNegative, Series, _Strict, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType

DIM = "solar_thermal"
W_PER_MW = 1e6
ETA0_HEMISPHERICAL = 0.745 * (0.85 + 0.15 * 0.93)
"""Default η0 for global irradiance: Arcon-Sunmark HTHEATstore 35/10, η0,b = 0.745 and
Kd = 0.93 (Solar Keymark licence SP SC0843-14; restvarme.physics.solar.COLLECTORS, whose
``eta0_hem`` this equals)."""


class AreaExpansion(_Strict):
    """Let the optimiser build more collector area, at an annuitised cost per m²."""

    min_m2: NonNegative = Field(0.0, description="New collector area to build at least [m²].")
    max_m2: NonNegative | None = Field(None, description="New collector area at most [m²].")
    capital_cost_eur_per_m2: NonNegative = Field(description="Investment per m² [EUR/m²].")
    fixed_om_eur_per_m2_year: NonNegative = Field(0.0, description="Fixed O&M [EUR/m²/yr].")
    lifetime_years: Annotated[int, Field(gt=0)] = Field(25, description="Economic life [yr].")
    discount_rate: Fraction | None = Field(None, description="Default: the scenario's [-].")
    build_from_year: int | None = Field(
        None, description="In a pathway, the first period year new area may be built."
    )

    @model_validator(mode="after")
    def _bounds(self) -> AreaExpansion:
        if self.max_m2 is not None and self.max_m2 < self.min_m2:
            raise ValueError("max_m2 must not be below min_m2")
        return self


class SolarThermal(_Unit):
    """Solar thermal collector field feeding a heat network (see the module docstring)."""

    type: Literal["solar_thermal"]
    sink: str = Field(description="Heat network the field feeds.")
    area_m2: NonNegative = Field(description="Gross collector area [m²].")
    eta0: Efficiency = Field(
        ETA0_HEMISPHERICAL,
        description="Zero-loss efficiency for global irradiance, per gross area [-].",
    )
    a1_w_per_m2k: NonNegative = Field(2.067, description="Heat loss coefficient [W/(m²K)].")
    a2_w_per_m2k2: NonNegative = Field(0.009, description="Quadratic loss [W/(m²K²)].")
    tilt_deg: Annotated[float, Field(ge=0, le=90)] = Field(35.0, description="Tilt [°].")
    azimuth_deg: Annotated[float, Field(ge=0, lt=360)] = Field(
        180.0, description="Azimuth, clockwise from north (180 = south) [°]."
    )
    irradiance_w_per_m2: Series | None = Field(
        None,
        description="Hourly irradiance [W/m²]: global horizontal (default) or on the collector "
        "plane (`irradiance_on_plane`); default: the location's built-in synthetic year.",
    )
    irradiance_on_plane: bool = Field(
        False, description="`irradiance_w_per_m2` is already on the collector plane."
    )
    latitude_deg: Annotated[float, Field(ge=-90, le=90)] | None = Field(
        None, description="Site latitude [°N]; default: the built-in climate's site."
    )
    longitude_deg: Annotated[float, Field(ge=-180, le=180)] | None = Field(
        None, description="Site longitude [°E]; default: the built-in climate's site."
    )
    utc_offset_h: Annotated[float, Field(ge=-12, le=14)] | None = Field(
        None,
        description="Standard-time offset of the series' time stamps [h]; default: the site's.",
    )
    vom_eur_per_mwh: NonNegative = Field(0.0, description="Variable O&M per MWh of heat.")
    # a narrower spec than _Unit.expansion: pydantic fields may be narrowed, mypy calls it unsafe
    expansion: AreaExpansion | None = Field(  # type: ignore[assignment]
        None, description="Make the collector area extendable."
    )


def _plane_irradiance(ctx: UnitInputs, unit: SolarThermal) -> np.ndarray:
    """Irradiance on the collector plane [W/m²] over the snapshots."""
    from restvarme.inputs.irradiance import SITES, synthetic_ghi_w_per_m2
    from restvarme.physics.solar import plane_of_array_irradiance

    where = ("units", ctx.position(unit), "irradiance_w_per_m2")
    climate = ctx.scenario.location.climate
    site = SITES.get(climate) if climate else None
    if unit.irradiance_w_per_m2 is not None:
        g = ctx.read(unit.irradiance_w_per_m2, *where, minimum=0.0, maximum=1500.0)
    elif site is not None:
        g = synthetic_ghi_w_per_m2(site, ctx.index)
    else:
        raise ctx.read.problem(
            f"solar_thermal {unit.name!r} needs an irradiance: give `irradiance_w_per_m2` (a "
            f"CSV series [W/m²]); built-in synthetic years exist for the climates "
            f"{', '.join(sorted(SITES))} only",
            *where,
        )
    if unit.irradiance_on_plane:
        return np.asarray(g, dtype=float)
    latitude = (
        unit.latitude_deg if unit.latitude_deg is not None else getattr(site, "latitude_deg", None)
    )
    longitude = (
        unit.longitude_deg
        if unit.longitude_deg is not None
        else getattr(site, "longitude_deg", None)
    )
    offset = (
        unit.utc_offset_h if unit.utc_offset_h is not None else getattr(site, "utc_offset_h", None)
    )
    if latitude is None or longitude is None or offset is None:
        raise ctx.read.problem(
            f"solar_thermal {unit.name!r}: to turn horizontal irradiance onto the collector plane "
            "give `latitude_deg`, `longitude_deg` and `utc_offset_h` (or a built-in `climate`, "
            "or set `irradiance_on_plane: true`)",
            "units",
            ctx.position(unit),
        )
    return np.asarray(
        plane_of_array_irradiance(
            g,
            ctx.index,
            latitude,
            longitude,
            unit.tilt_deg,
            unit.azimuth_deg,
            utc_offset_h=offset,
            timestamps="interval_start",
        ),
        dtype=float,
    )


def inputs(ctx: UnitInputs, units: list[SolarThermal]) -> dict[str, xr.DataArray]:
    """Irradiance on the plane and heat per m² each hour (module docstring), and parameters."""
    from restvarme.inputs.tables import columns, labels, parameter
    from restvarme.physics.solar import collector_heat_w_per_m2, mean_collector_temperature_c

    nets = ctx.networks
    irradiance, heat = [], []
    for u in units:
        g = _plane_irradiance(ctx, u)
        t_mean = mean_collector_temperature_c(
            nets["supply_temperature_c"].sel(network=u.sink).to_numpy(),
            nets["return_temperature_c"].sel(network=u.sink).to_numpy(),
        )
        q = collector_heat_w_per_m2(
            g, t_mean, ctx.outdoor_c, u.eta0, u.a1_w_per_m2k, u.a2_w_per_m2k2
        )
        irradiance.append(g)
        heat.append(np.asarray(q, dtype=float) / W_PER_MW)
    names = [u.name for u in units]
    return {
        f"{DIM}_irradiance_w_per_m2": columns(irradiance, ctx.index, names, DIM, "W/m²"),
        f"{DIM}_heat_mw_per_m2": columns(heat, ctx.index, names, DIM, "MW/m²"),
        f"{DIM}_area_m2": parameter(units, DIM, "area_m2", "m²"),
        f"{DIM}_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        f"{DIM}_sink": labels(units, DIM, "sink"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all collector fields.

    With q[t,s] the heat one m² can give [MW/m²] (module docstring), area A[s] (+ new area N[s])::

        0 <= Q[t,s] <= q[t,s] · (A[s] + N[s])      (curtailable; no row in hours without sun)
        heat into network n(s): Q[t,s];  cost Σ w[t] · vom[s] · Q[t,s];  Q is solar heat
    """
    w, q = inputs["snapshot_weight_h"], inputs[f"{DIM}_heat_mw_per_m2"]
    available = q * inputs[f"{DIM}_area_m2"]
    new = add_new_capacity(m, inputs, terms, DIM)
    upper = flow_bound(inputs, DIM, available, w).where(q > 0, 0.0)
    heat = add_variables(m, lower=0, upper=upper, name=f"{DIM}_heat")
    add_capacity_limit(m, inputs, DIM, heat, new, available, f"{DIM}_capacity", q, where=q > 0)
    return Ports(
        DIM,
        flows={"heat": Flow(heat)},
        buses={"heat": inputs[f"{DIM}_sink"]},
        costs=(Cost("variable_om", Flow(heat, inputs[f"{DIM}_vom_eur_per_mwh"])),),
        origins={"solar": Flow(heat)},
        new_capacity=new,
        results={
            f"{DIM}_irradiance_w_per_m2": inputs[f"{DIM}_irradiance_w_per_m2"],
            f"{DIM}_heat_mw_per_m2": q,
        },
        handles={"heat_mw": heat},
    )


UNIT = UnitType(
    name=DIM,
    specs=(SolarThermal,),
    build=build,
    capacity=CapacityKind((("area_m2", None),), per="m2"),
    label="Solar thermal",
    colour="#f5b041",
    inputs=inputs,
    references=(Reference("sink", "network"),),
)
