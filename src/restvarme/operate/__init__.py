"""Operation on a rolling horizon with forecasts (issue 18): :func:`operate` plans overlapping
windows in sequence on forecast inputs, carries store levels forward and evaluates the committed
hours on the real inputs (:mod:`restvarme.operate.rolling`); :mod:`restvarme.operate.forecast`
holds the forecasts and :mod:`restvarme.operate.export` the day-ahead plan and the suppliers'
call-off lists."""

from restvarme.operate.rolling import Operation, Window, check_operable, operate, windows

__all__ = ["Operation", "Window", "check_operable", "operate", "windows"]
