"""Reads fields.xdmf with ParaView's XDMFReader (as the GUI's "Open" does) and compares every array with
fields.h5 (h5py) and the last snapshot, point by point at ParaView's own coordinates, with psi_final.npy.
Usage: python3 pv_check.py ABS_PATH/fields.xdmf ABS_PATH/psi_final.npy BOX. Prints one line: RESULT {json}.
Failures of the reader are silent (a missing dataset is dropped), so presence, shape and values are asserted."""
import json
import sys

import h5py
import numpy as np
from paraview import servermanager
from paraview.simple import XDMFReader
from vtk.numpy_interface import dataset_adapter as dsa

xdmf, npy, box = sys.argv[1], sys.argv[2], float(sys.argv[3])
r = XDMFReader(FileNames=[xdmf])
times = [float(t) for t in r.TimestepValues]
h5 = h5py.File(xdmf[:-len(".xdmf")] + ".h5", "r")
psi = np.load(npy)
n = psi.shape[0]
dx = box / n
out = {"times": times, "arrays": 0, "max_diff_h5": 0.0, "dims": None, "origin": None, "spacing": None,
       "max_diff_npy": None, "max_diff_phase": None, "points": 0, "missing": []}
for i, t in enumerate(times):
    r.UpdatePipeline(t)
    d = servermanager.Fetch(r)
    out["dims"], out["origin"], out["spacing"] = list(d.GetDimensions()), list(d.GetOrigin()), list(d.GetSpacing())
    pd = dsa.WrapDataObject(d).PointData
    for name in ("density", "phase", "re", "im"):
        if name not in pd.keys():
            out["missing"].append("%d/%s" % (i, name))
            continue
        a = np.asarray(pd[name])
        ref = h5["snapshots/%06d/%s" % (i, name)][...].reshape(-1)
        out["arrays"] += 1
        out["max_diff_h5"] = max(out["max_diff_h5"], float(np.max(np.abs(a - ref))) if a.shape == ref.shape else float("inf"))
    if i == len(times) - 1:
        # Point p of ParaView at (x, y, z) against psi_final.npy[i, j, k] with x = -L/2 + i dx: checks the axis order.
        re, im, ph = np.asarray(pd["re"]), np.asarray(pd["im"]), np.asarray(pd["phase"])
        worst = worst_phase = 0.0
        for p in range(d.GetNumberOfPoints()):
            x, y, z = d.GetPoint(p)
            ijk = [int(round((c + box / 2) / dx)) for c in (x, y, z)]
            v = psi[ijk[0], ijk[1], ijk[2]]
            worst = max(worst, abs(re[p] - v.real), abs(im[p] - v.imag))
            worst_phase = max(worst_phase, abs(ph[p] - np.angle(v)))
        out["max_diff_npy"], out["max_diff_phase"], out["points"] = worst, worst_phase, d.GetNumberOfPoints()
print("RESULT " + json.dumps(out))
