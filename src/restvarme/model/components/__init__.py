"""The parts of the model that are not unit types: the electricity market, the biogas bus,
transport fleets, and helpers the unit types share (unit types live in :mod:`restvarme.units`)."""
