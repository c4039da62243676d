#!/usr/bin/env python3
"""Checks a rig session's NWB file with h5py alone, independently of apical's reader (docs/nwb.md).

Every object with a neurodata_type carries a namespace (core or hdmf-common) and a unique UUID4
object_id; every TimeSeries has data with unit, conversion, offset, resolution and continuity, and
float64 timestamps in seconds, one per row of data, time first; the per-frame series link their
timestamps (a soft link) to the frame clock; every table's columns are as long as its ids (ragged ones
through their VectorIndex); every object reference resolves to the right kind of object; a distal
plane's paired_roi points into another plane's table and its pair_r is a correlation or NaN.

usage: python3 tests/io/nwb_h5py_check.py FILE FRAMES
"""
import re
import sys

import h5py
import numpy as np

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
ISO8601 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
SERIES = {"TimeSeries", "RoiResponseSeries", "AnnotationSeries"}
TABLES = {"PlaneSegmentation", "TimeIntervals"}
FRAME_CLOCK = "/processing/ophys/frame_index/timestamps"


def check_series(nwb, path, series, frames):
    data = series["data"]
    for name in ("unit", "conversion", "offset", "resolution", "continuity"):
        assert name in data.attrs, f"{path}/data lacks {name}"
    times = series["timestamps"]
    assert times.dtype == np.float64 and times.ndim == 1, f"{path}/timestamps"
    assert times.attrs["unit"] == "seconds" and times.attrs["interval"] == 1, f"{path}/timestamps"
    assert data.shape[0] == times.shape[0], f"{path}: data and timestamps differ in length"
    assert np.all(np.diff(times[:]) >= 0), f"{path}: timestamps go back"
    link = series.get("timestamps", getlink=True)
    if isinstance(link, h5py.SoftLink):
        assert link.path == FRAME_CLOCK and data.shape[0] == frames, f"{path}: not a per-frame series"


def check_table(path, table):
    rows = len(table["id"])
    for column in table.attrs["colnames"]:
        if column + "_index" in table:
            index = table[column + "_index"]
            assert len(index) == rows and (rows == 0 or index[-1] == len(table[column])), f"{path}/{column}_index"
        else:
            assert len(table[column]) == rows, f"{path}/{column} is not {rows} long"


def main(path, frames):
    with h5py.File(path, "r") as nwb:
        assert nwb.attrs["neurodata_type"] == "NWBFile" and nwb.attrs["nwb_version"] == "2.9.0"
        for name in ("session_start_time", "timestamps_reference_time"):
            assert ISO8601.fullmatch(nwb[name][()].decode()), name
        assert all(ISO8601.fullmatch(date.decode()) for date in nwb["file_create_date"][:])
        assert nwb[FRAME_CLOCK].shape == (frames,)

        typed = {"/": nwb}

        def collect(name, obj):  # returns None: visititems stops at the first other value
            if "neurodata_type" in obj.attrs:
                typed["/" + name] = obj

        nwb.visititems(collect)
        object_ids = set()
        for path, obj in typed.items():
            attrs = obj.attrs
            assert attrs["namespace"] in ("core", "hdmf-common"), path
            assert UUID4.fullmatch(attrs["object_id"]) and attrs["object_id"] not in object_ids, path
            object_ids.add(attrs["object_id"])
            kind = attrs["neurodata_type"]
            if kind in SERIES:
                check_series(nwb, path, obj, frames)
            elif kind in TABLES:
                check_table(path, obj)
            elif kind == "DynamicTableRegion":
                table = nwb[attrs["table"]]
                assert table.attrs["neurodata_type"] == "PlaneSegmentation", path
                assert len(obj) == 0 or (obj[:].min() >= 0 and obj[:].max() < len(table["id"])), path
                if path.endswith("/paired_roi"):
                    assert table.name != obj.parent.name, f"{path} points into its own table"
                    r = obj.parent["pair_r"][:]
                    assert r.dtype == np.float64 and np.all(np.isnan(r) | (np.abs(r) <= 1)), path
            elif kind == "VectorIndex":
                assert nwb[attrs["target"]].attrs["neurodata_type"] == "VectorData", path
        for plane in nwb["general/optophysiology"].values():
            assert isinstance(plane.get("device", getlink=True), h5py.SoftLink)
            assert plane["device"].attrs["neurodata_type"] == "Device"
        print(f"ok: {len(typed)} NWB objects")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
