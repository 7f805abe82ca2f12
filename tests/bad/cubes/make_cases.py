#!/usr/bin/python3
"""Write the malformed cubes of tests/bad/cubes/CASES (run by tests/test_bad_cubes.sh).

usage: make_cases.py CASES BASE.h5 OUTDIR

For each case NAME, copies BASE.h5 to OUTDIR/NAME.h5 and applies its recipe:
Python run with `f` (the copy, opened r+ with h5py) and the helpers below, or
one of the raw recipes: raw:text, raw:empty, raw:truncate, raw:dir, raw:none,
raw:base (the unchanged copy, for the `compare` and `resume` cases).
"""
import os
import shutil
import sys

import h5py
import numpy as np

STR = h5py.string_dtype()


def users(f, scale):
    """(dataset, dim) of every dataset dimension that `scale` is attached to."""
    out = []
    for name, ds in f.items():
        if not isinstance(ds, h5py.Dataset) or ds.name == scale.name:
            continue
        for k in range(ds.ndim):
            if any(s.name == scale.name for s in ds.dims[k].values()):
                out.append((ds, k))
    return out


def recoord(f, name, data, dtype=None, scale=True):
    """Replace coordinate `name` by `data`, attached where the old one was."""
    old = f[name]
    where = [(ds.name, k) for ds, k in users(f, old)]
    for ds, k in users(f, old):
        ds.dims[k].detach_scale(old)
    del f[name]
    new = f.create_dataset(name, data=np.asarray(data, dtype=dtype))
    if scale:
        new.make_scale(name)
        for ds, k in where:
            f[ds].dims[k].attach_scale(new)


def remeasure(f, name, data, scales):
    """Replace measure `name` by `data`, with the coordinates `scales` attached in order."""
    for k in range(f[name].ndim):
        for s in list(f[name].dims[k].values()):
            f[name].dims[k].detach_scale(s)
    del f[name]
    ds = f.create_dataset(name, data=data)
    for k, s in enumerate(scales):
        ds.dims[k].attach_scale(f[s])


def strip_scales(f, name):
    """Detach every dimension scale of measure `name`."""
    ds = f[name]
    for k in range(ds.ndim):
        for s in list(ds.dims[k].values()):
            ds.dims[k].detach_scale(s)


def cases(path):
    with open(path) as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                name, _cmd, _code, _frag, recipe = [x.strip() for x in line.split(" | ", 4)]
                yield name, recipe


def main():
    casefile, base, outdir = sys.argv[1:4]
    for name, recipe in cases(casefile):
        out = os.path.join(outdir, name + ".h5")
        if recipe == "raw:none" or recipe.startswith("run:"):
            continue
        if recipe == "raw:dir":
            os.mkdir(out)
        elif recipe == "raw:text":
            with open(out, "w") as fh:
                fh.write("year,fte\n2019,1\n")
        elif recipe == "raw:empty":
            open(out, "w").close()
        elif recipe == "raw:truncate":
            with open(base, "rb") as src, open(out, "wb") as dst:
                dst.write(src.read(os.path.getsize(base) // 2))
        else:
            shutil.copyfile(base, out)
            if recipe != "raw:base":
                with h5py.File(out, "r+") as f:
                    exec(recipe, {"f": f, "np": np, "STR": STR, "recoord": recoord,
                                  "remeasure": remeasure, "strip_scales": strip_scales})


main()
