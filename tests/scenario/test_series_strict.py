"""Strict series files: the time column is read and checked, values are finite numbers, only the
rows the horizon needs are read, and no file is large enough to exhaust memory; every problem is
a located restvarme error that quotes nothing of the file but its line and column name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from restvarme.errors import Problem, ScenarioError
from restvarme.inputs.series import MAX_LINE_CHARS, MAX_SERIES_FILE_BYTES, load_series
from restvarme.scenario.schema import SeriesFile

KEY = ("electricity", "price_eur_per_mwh")


def hours(n: int, start: str = "2030-01-01 00:00") -> list[str]:
    return [str(t) for t in np.datetime64(start.replace(" ", "T")) + np.arange(n).astype("m8[h]")]


def csv_of(times: list[str], values: list[str] | None = None, header: str = "time,value") -> str:
    values = values or [str(10 + i) for i in range(len(times))]
    return header + "\n" + "".join(f"{t},{v}\n" for t, v in zip(times, values, strict=True))


def read(tmp_path: Path, text: str | bytes, n: int = 4, value: str = "price.csv") -> np.ndarray:
    path = tmp_path / "price.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_series(value, n=n, base_dir=tmp_path, path=KEY)


def failure(tmp_path: Path, text: str | bytes, n: int = 4) -> str:
    with pytest.raises(ScenarioError) as info:
        read(tmp_path, text, n)
    (problem,) = info.value.problems
    assert isinstance(problem, Problem) and problem.path == KEY
    assert "SECRET" not in str(info.value)
    return problem.message


# --- the time column -------------------------------------------------------------------------


def test_hourly_times_are_read(tmp_path):
    np.testing.assert_array_equal(read(tmp_path, csv_of(hours(4))), [10, 11, 12, 13])


@pytest.mark.parametrize("header", ["time", "timestamp", "Datetime", "snapshot", "utc"])
def test_every_time_name_is_checked(tmp_path, header):
    times = hours(4)
    times[2] = times[1]
    message = failure(tmp_path, csv_of(times, header=f"{header},value"))
    assert f"line 4 (data row 3), column {header!r}" in message


def test_duplicate_time(tmp_path):
    times = hours(4)
    times[2] = times[1]
    message = failure(tmp_path, csv_of(times))
    assert "line 4 (data row 3), column 'time': the time repeats that of line 3" in message
    assert "one row per hour, increasing and unique" in message


def test_unsorted_times(tmp_path):
    times = hours(4)
    times[1], times[2] = times[2], times[1]
    message = failure(tmp_path, csv_of(times))
    assert "line 4 (data row 3), column 'time': the time is 1 hour before that of line 3" in message


def test_gap_in_times(tmp_path):
    times = hours(5)
    del times[2]
    message = failure(tmp_path, csv_of(times))
    assert "line 4 (data row 3), column 'time': the time is 2 hours after that of line 3" in message


def test_quarter_hours(tmp_path):
    times = [f"2030-01-01 00:{m:02d}" for m in (0, 15, 30, 45)]
    message = failure(tmp_path, csv_of(times))
    assert (
        "line 3 (data row 2), column 'time': the time is 15 minutes after that of line 2" in message
    )


def test_daylight_saving_shift_is_refused_with_the_convention(tmp_path):
    # local time in Sweden, autumn 2030: 02:00 comes twice
    times = ["2030-10-27 01:00", "2030-10-27 02:00", "2030-10-27 02:00", "2030-10-27 03:00"]
    message = failure(tmp_path, csv_of(times))
    assert "line 4 (data row 3)" in message
    assert "local standard time (no daylight-saving shifts) or UTC" in message


def test_times_with_utc_offsets_are_compared_in_utc(tmp_path):
    # the same autumn night with offsets: hourly in UTC, so fine
    times = [
        "2030-10-27T01:00+02:00",
        "2030-10-27T02:00+02:00",
        "2030-10-27T02:00+01:00",
        "2030-10-27T03:00+01:00",
    ]
    np.testing.assert_array_equal(read(tmp_path, csv_of(times)), [10, 11, 12, 13])


def test_times_mixing_offsets_and_none(tmp_path):
    times = ["2030-01-01T00:00Z", "2030-01-01T01:00Z", "2030-01-01 02:00", "2030-01-01 03:00"]
    message = failure(tmp_path, csv_of(times))
    assert "line 4 (data row 3), column 'time'" in message
    assert "UTC offset" in message


def test_time_that_is_not_a_time(tmp_path):
    times = hours(4)
    times[3] = "noon"
    message = failure(tmp_path, csv_of(times))
    assert "line 5 (data row 4), column 'time': got 'noon', not a date and time" in message
    assert "2030-01-01 00:00" in message  # an example of what is expected


def test_hour_numbers(tmp_path):
    np.testing.assert_array_equal(
        read(tmp_path, csv_of(["1", "2", "3", "4"], header="hour,value")), [10, 11, 12, 13]
    )
    message = failure(tmp_path, csv_of(["0", "1", "1", "2"], header="hour,value"))
    assert "line 4 (data row 3), column 'hour': hour 1 follows hour 1" in message


def test_only_the_horizon_is_checked(tmp_path):
    times = hours(6)
    times[5] = times[0]  # beyond the 4 hours of the horizon
    np.testing.assert_array_equal(read(tmp_path, csv_of(times)), [10, 11, 12, 13])


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "found"),
    [
        ("true", "got 'true' (true/false is not a number)"),
        ("FALSE", "got 'FALSE' (true/false is not a number)"),
        ("inf", "got 'inf'; expected a finite number"),
        ("-Infinity", "got '-Infinity'; expected a finite number"),
        ("1e400", "got '1e400'; expected a finite number"),
        ("nan", "got 'nan'; expected a number"),
    ],
)
def test_booleans_and_non_finite_values(tmp_path, cell, found):
    message = failure(tmp_path, csv_of(hours(4), ["1", cell, "3", "4"]))
    assert "line 3 (data row 2), column 'value'" in message
    assert found in message


def test_long_cells_are_shortened_in_messages(tmp_path):
    message = failure(tmp_path, csv_of(hours(4), ["1", "x" * 500, "3", "4"]))
    assert "x" * 20 not in message
    assert "..." in message


# --- reading only what the horizon needs, within limits --------------------------------------


def test_rows_beyond_the_horizon_are_not_read(tmp_path):
    text = csv_of(hours(4)) + 'SECRET,1,2,3,"unclosed\n' + "\x00" * 100
    np.testing.assert_array_equal(read(tmp_path, text), [10, 11, 12, 13])


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "price.csv"
    with path.open("wb") as handle:
        handle.write(csv_of(hours(4)).encode())
        handle.truncate(MAX_SERIES_FILE_BYTES + 1)  # sparse: no disk, no memory
    with pytest.raises(ScenarioError) as info:
        load_series("price.csv", n=48, base_dir=tmp_path, path=KEY)
    message = info.value.problems[0].message
    assert "is larger than" in message and "MB" in message


def test_huge_line_is_refused(tmp_path):
    text = "time,value\n2030-01-01 00:00," + "1" * (MAX_LINE_CHARS + 10) + "\n"
    message = failure(tmp_path, text)
    assert f"line 2 is longer than {MAX_LINE_CHARS} characters" in message


def test_not_utf8_names_the_line(tmp_path):
    text = csv_of(hours(4)).encode().replace(b"12\n", "12é\n".encode("latin-1"))
    message = failure(tmp_path, text)
    assert "line 4" in message and "not UTF-8" in message


def test_not_utf8_after_a_byte_order_mark_names_the_line(tmp_path):
    # the BOM (Excel's "CSV UTF-8") is not counted as text, nor does it move the line count
    text = b"\xef\xbb\xbf" + csv_of(hours(4)).encode().replace(b"11\n", b"1\xe9\n")
    message = failure(tmp_path, text)
    assert "line 3" in message and "not UTF-8" in message


def test_nul_in_the_rows_read_names_the_line(tmp_path):
    text = csv_of(hours(4)).replace("12\n", "1\x002\n")
    message = failure(tmp_path, text)
    assert "line 4" in message and "NUL" in message


def test_the_first_faulty_line_is_named_whatever_its_fault(tmp_path):
    # line 3 is not UTF-8, line 4 holds a NUL and line 5 is too long: line 3 is named
    text = (
        csv_of(hours(4))
        .encode()
        .replace(b"11\n", b"1\xe9\n")
        .replace(b"12\n", b"1\x002\n")
        .replace(b"13\n", b"1" * (MAX_LINE_CHARS + 1) + b"\n")
    )
    message = failure(tmp_path, text)
    assert "line 3" in message and "not UTF-8" in message


def test_a_file_read_in_many_blocks_gives_the_same_rows(tmp_path, monkeypatch):
    import restvarme.inputs.series as series

    text = csv_of(hours(48)).replace("\n", "\r\n")
    whole = read(tmp_path, text, n=48)
    monkeypatch.setattr(series, "READ_BLOCK_BYTES", 7)  # block ends inside lines and \r\n
    series._PARSED.clear()
    np.testing.assert_array_equal(read(tmp_path, text, n=48), whole)
    np.testing.assert_array_equal(whole, np.arange(10, 58))


def test_parser_error_is_a_located_restvarme_error(tmp_path):
    text = csv_of(hours(4)).replace("11\n", "11,SECRET\n")
    message = failure(tmp_path, text)
    assert "line 3 has 3 fields; the header has 2" in message


def test_unclosed_quote(tmp_path):
    text = csv_of(hours(4)).replace("11\n", '"11\n')
    message = failure(tmp_path, text)
    assert "line 3" in message and "quote" in message


def test_semicolons_and_decimal_commas_still_work(tmp_path):
    text = "time;value\n" + "".join(f"{t};{h},5\n" for h, t in enumerate(hours(4)))
    np.testing.assert_array_equal(read(tmp_path, text), [0.5, 1.5, 2.5, 3.5])


def test_crlf_line_ends(tmp_path):
    text = csv_of(hours(4)).replace("\n", "\r\n")
    np.testing.assert_array_equal(read(tmp_path, text), [10, 11, 12, 13])


def test_byte_order_mark(tmp_path):
    np.testing.assert_array_equal(
        read(tmp_path, b"\xef\xbb\xbf" + csv_of(hours(4)).encode()), [10, 11, 12, 13]
    )


def test_scale_that_overflows(tmp_path):
    (tmp_path / "price.csv").write_text(csv_of(hours(4)), encoding="utf-8")
    value = SeriesFile(file="price.csv", column=None, scale=1e308)
    with pytest.raises(ScenarioError) as info:
        load_series(value, n=4, base_dir=tmp_path, path=KEY)
    assert "times scale 1e+308 is not a finite number at CSV line 2" in str(info.value)


# --- constants -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("inf"), float("nan"), -float("inf")])
def test_non_finite_constant(tmp_path, value):
    with pytest.raises(ScenarioError) as info:
        load_series(value, n=2, base_dir=tmp_path, path=KEY)
    assert "expected a finite number" in str(info.value)


def test_boolean_constant(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_series(True, n=2, base_dir=tmp_path, path=KEY)
    assert "got true; expected a number" in str(info.value)


def test_a_file_is_parsed_once_for_all_its_columns_and_again_when_it_changes(tmp_path, monkeypatch):
    """Issue 15: a waste-heat source's availability and temperature in one file cost one parse;
    a file changed on disk is parsed again (its text is the key, not its name)."""
    import restvarme.inputs.series as series

    parses = []
    real = series._parse_csv
    monkeypatch.setattr(series, "_parse_csv", lambda *a: parses.append(a[1]) or real(*a))
    (tmp_path / "source.csv").write_text(
        csv_of(hours(3), ["5,40", "6,41", "7,42"], header="time,available_mw,temperature_c")
    )

    def column(name: str) -> list[float]:
        ref = SeriesFile(file="source.csv", column=name, scale=1.0)
        return load_series(ref, n=3, base_dir=tmp_path, path=KEY).tolist()

    assert column("available_mw") == [5.0, 6.0, 7.0]
    assert column("temperature_c") == [40.0, 41.0, 42.0]
    assert parses == ["source.csv"]
    (tmp_path / "source.csv").write_text(
        csv_of(hours(3), ["8,40", "9,41", "10,42"], header="time,available_mw,temperature_c")
    )
    assert column("available_mw") == [8.0, 9.0, 10.0]
    assert parses == ["source.csv", "source.csv"]


def test_a_bad_time_column_is_found_on_every_read_of_the_file(tmp_path):
    """The time check is remembered only once passed: the second column of a file whose times
    repeat fails like the first."""
    (tmp_path / "price.csv").write_text(
        csv_of(["2030-01-01 00:00", "2030-01-01 00:00"], ["1,2", "3,4"], header="time,a,b")
    )
    for name in ("a", "b"):
        ref = SeriesFile(file="price.csv", column=name, scale=1.0)
        with pytest.raises(ScenarioError, match="the time repeats that of line 2"):
            load_series(ref, n=2, base_dir=tmp_path, path=KEY)
