"""Numbers are written at a stated precision, so outputs do not depend on the CPU's float kernels."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from analysis import io
from analysis.precision import round_json, round_table, round_value, significant


def test_round_table_rounds_each_kind_of_column_by_its_rule():
    table = pd.DataFrame(
        {
            "term": ["a", "b"],
            "n": [1, 2],
            "share": [0.22327643566719227, 0.22327643566719224],  # two CPUs' last bits
            "per_1000": [12.3456789, 0.0],
            "per_1000_target": [1.23456789, 2.0],
            "p_report": [0.000123456789, 1.0],  # an article id that happens to start with "p_" is not a p-value
            "perplexity": [562.2629520538391, 562.2629520538395],
            "p_value": [1.23456789e-12, 0.0499999999],
            "z": [-1e-17, 3.0],
        }
    )
    rounded = round_table(table)
    assert rounded["share"].tolist() == [0.223276, 0.223276]
    assert rounded["per_1000"].tolist() == [12.3457, 0.0]
    assert rounded["per_1000_target"].tolist() == [1.2346, 2.0]
    assert rounded["p_report"].tolist() == [0.000123, 1.0]
    assert rounded["perplexity"].tolist() == [562.263, 562.263]
    assert rounded["p_value"].tolist() == [1.23457e-12, 0.05]
    assert rounded["n"].tolist() == [1, 2] and rounded["n"].dtype == np.int64
    assert math.copysign(1.0, rounded["z"][0]) == 1.0  # -0.0 is written as 0.0
    assert table["share"][0] == 0.22327643566719227  # the input is not modified
    assert round_table(rounded).equals(rounded)


def test_written_tables_are_the_same_bytes_for_last_bit_differences(tmp_path):
    one = pd.DataFrame({"doc_id": ["x"], "share": [0.22327643566719227], "p_value": [0.016244]})
    two = pd.DataFrame({"doc_id": ["x"], "share": [0.22327643566719224], "p_value": [0.016244000000000003]})
    assert io.write_table(one, tmp_path / "a.csv").read_bytes() == io.write_table(two, tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_text() == "doc_id,share,p_value\nx,0.223276,0.016244\n"


def test_json_floats_are_rounded_by_key(tmp_path):
    value = {"perplexity": 562.2629520538391, "nested": [{"share": 1 / 3}], "k": 3, "name": "x", "flag": True}
    assert round_json(value) == {
        "perplexity": 562.263,
        "nested": [{"share": 0.333333}],
        "k": 3,
        "name": "x",
        "flag": True,
    }
    io.write_json(tmp_path / "v.json", {"share": np.float64(2 / 3)})
    assert json.loads((tmp_path / "v.json").read_text()) == {"share": 0.666667}


def test_significant_and_round_value():
    assert significant(123456789.0) == 123457000.0
    assert significant(-0.0) == 0.0 and math.copysign(1.0, significant(-0.0)) == 1.0
    assert math.isnan(significant(float("nan")))
    assert round_value(0.1234567, "share") == 0.123457
    assert round_value(0.000001234567, "p_value") == 1.23457e-06


def test_svg_ids_are_numbered_not_hashed():
    svg = (
        b'<clipPath id="pa2b0c3b408"><rect/></clipPath><path id="maa4c722b55"/>'
        b'<g clip-path="url(#pa2b0c3b408)"><use xlink:href="#maa4c722b55"/></g><clipPath id="p0123456789">'
    )
    renumbered = io.renumber_svg_ids(svg)
    assert renumbered == (
        b'<clipPath id="clip-1"><rect/></clipPath><path id="marker-1"/>'
        b'<g clip-path="url(#clip-1)"><use xlink:href="#marker-1"/></g><clipPath id="clip-2">'
    )


def test_a_figure_from_slightly_different_floats_has_the_same_svg_after_rounding():
    import matplotlib

    matplotlib.use("Agg")
    from analysis.precision import round_array
    from analysis.report import plots

    def svg(values):
        frame = pd.Series(round_array(values), index=["a", "b"])
        return io.figure_bytes(plots.bar_chart(frame.index, frame, "T", "x"), "svg")

    assert svg([0.22327643566719227, 0.5]) == svg([0.22327643566719224, 0.5])
