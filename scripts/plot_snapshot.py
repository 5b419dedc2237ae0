#!/usr/bin/env python3
"""Plot one snapshot of a hartree run folder (fields.h5) and check it against the folder's other files.

    python3 scripts/plot_snapshot.py RUN_DIR [--index I] [--out FILE.png]

Needs numpy and h5py (Debian: apt-get install python3-h5py); matplotlib for the PNG (python3-matplotlib),
without it the checks still run and no figure is drawn. Prints one JSON line with what it checked:
the snapshot's step and time, its norm dx^3 sum |psi|^2, the norm from its column density, and whether
the last snapshot equals psi_final.npy bit for bit. See docs/python.md.
"""
import argparse
import json
import os
import sys

import h5py
import numpy as np


def load_run(run):
    """summary.json, observables.csv and psi_final.npy of a run folder, as Python/NumPy objects."""
    with open(os.path.join(run, "summary.json")) as f:
        summary = json.load(f)
    obs = np.genfromtxt(os.path.join(run, "observables.csv"), delimiter=",", names=True)
    psi_final = np.load(os.path.join(run, "psi_final.npy"))  # complex128 (n, n, n), axes (x, y, z)
    return summary, obs, psi_final


def load_snapshot(h5, index):
    """Snapshot `index` of fields.h5 as psi[x, y, z] (the order of psi_final.npy), with its step and time."""
    g = h5["snapshots/%06d" % index]
    psi_zyx = g["re"][...] + 1j * g["im"][...]  # stored [z][y][x] (the order ParaView reads)
    return psi_zyx.transpose(2, 1, 0), int(g.attrs["step"]), float(g.attrs["time"])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run", help="a run folder written with --snapshot-every")
    p.add_argument("--index", type=int, default=-1, help="snapshot index (default: the last)")
    p.add_argument("--out", help="PNG to write (default RUN/snapshot_NNNNNN.png)")
    a = p.parse_args(argv)

    summary, obs, psi_final = load_run(a.run)
    with h5py.File(os.path.join(a.run, "fields.h5"), "r") as h5:
        times, steps = h5["time"][...], h5["step"][...]
        count = len(times)
        index = a.index % count
        psi, step, time = load_snapshot(h5, index)
        last, _, _ = load_snapshot(h5, count - 1)
        x = h5["x"][...]
        dx = float(h5.attrs["dx"])
        column_z = h5["snapshots/%06d/column_z" % index][...]  # [y][x]
        phase = h5["snapshots/%06d/phase" % index][...].transpose(2, 1, 0)  # atan2(im, re), [z][y][x] -> [x][y][z]
        config = h5.attrs["config_toml"].decode()  # fixed-length UTF-8 strings come back as bytes

    rho = np.abs(psi) ** 2
    result = {
        "snapshots": count,
        "index": index,
        "step": step,
        "time": time,
        "steps": steps.tolist(),
        "times": times.tolist(),
        "norm": float(rho.sum() * dx ** 3),
        "norm_column_z": float(column_z.sum() * dx ** 2),
        "last_equals_psi_final": bool(np.array_equal(last, psi_final)),
        "phase_max_diff_angle": float(np.max(np.abs(phase - np.angle(psi)))),
        "norm_final_summary": summary["norm_final"],
        "observable_rows": int(obs.shape[0]),
        "config_has_grid": ("grid = %d" % len(x)) in config,
        "png": None,
    }
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no figure (apt-get install python3-matplotlib)", file=sys.stderr)
    else:
        out = a.out or os.path.join(a.run, "snapshot_%06d.png" % index)
        ext = [x[0] - dx / 2, x[-1] + dx / 2, x[0] - dx / 2, x[-1] + dx / 2]
        fig, ax = plt.subplots(1, 2, figsize=(10, 4.2))
        im0 = ax[0].imshow(column_z, origin="lower", extent=ext)  # rows y, columns x
        ax[0].set(xlabel="x", ylabel="y", title="column density n_z(x, y)")
        fig.colorbar(im0, ax=ax[0])
        im1 = ax[1].imshow(rho[:, :, len(x) // 2].T, origin="lower", extent=ext)  # |psi(x, y, 0)|^2
        ax[1].set(xlabel="x", ylabel="y", title="|psi(x, y, 0)|^2")
        fig.colorbar(im1, ax=ax[1])
        fig.suptitle("snapshot %d: step %d, t = %.6g" % (index, step, time))
        fig.savefig(out, dpi=80)
        result["png"] = out
    print(json.dumps(result))


if __name__ == "__main__":
    main()
