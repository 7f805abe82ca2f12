#!/usr/bin/python3
"""The HDF5 cube written by outputs/cube.c opens in xarray (h5netcdf) and h5py
with named dimensions, label coordinates and CF scale_factor decoding; and
`hwsim summary/compare --csv` agree with values computed here independently.

The fixture cube is written by the Criterion test `cube/fixture` in
tests/test_cube.c (run with HWSIM_CUBE_FIXTURE=path), found next to the hwsim
binary ($HWSIM_BIN's directory).  Its values (r, y, g, s = axis indices):
    fte[r][y][g][s]     = 12345 + 1000 r + 100 y + 10 g + s   stored, x 0.01
    persons[r][y][g][s] = (r+1)(s+1)(g+1) + 100 y
axes year {2019, 2020}, group {nurse, physician, assistant}, the 5 sectors.
"""
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import h5py
    import numpy as np
    import xarray as xr
except ImportError as e:  # a missing reader is a failure, not a skip
    print(f"FAIL: test_cube_xarray.py needs xarray, h5netcdf, h5py and numpy "
          f"for /usr/bin/python3: {e}", file=sys.stderr)
    sys.exit(1)
try:
    import h5netcdf  # noqa: F401  (engine="h5netcdf" needs it)
except ImportError as e:
    print(f"FAIL: test_cube_xarray.py needs h5netcdf: {e}", file=sys.stderr)
    sys.exit(1)

HEALTH = ["municipal", "specialist", "other_health"]
SECTORS = HEALTH + ["outside", "not_working"]
GROUPS = ["nurse", "physician", "assistant"]
YEARS = [2019, 2020]
NREP = 3


def fte_raw(r, y, g, s):
    return 12345 + 1000 * r + 100 * y + 10 * g + s


def persons_raw(r, y, g, s):
    return (r + 1) * (s + 1) * (g + 1) + 100 * y


def type7(values, p):
    """R type 7 quantile, written out (not numpy) so the check is independent."""
    x = sorted(values)
    h = (len(x) - 1) * p
    lo = int(h)
    if lo >= len(x) - 1:
        return x[-1]
    return x[lo] + (h - lo) * (x[lo + 1] - x[lo])


def hwsim_bin():
    b = os.environ.get("HWSIM_BIN")
    if not b:
        raise SystemExit("FAIL: HWSIM_BIN is not set (run through ctest, or set it to the "
                         "hwsim binary in the build directory)")
    return b


class CubeReadable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hwsim_xr_")
        cls.path = os.path.join(cls.tmp, "fixture.h5")
        cls.a_path = os.path.join(cls.tmp, "again.h5")
        test_cube = os.path.join(os.path.dirname(hwsim_bin()), "test_cube")
        if not os.path.exists(test_cube):
            raise SystemExit(f"FAIL: {test_cube} not found (build the test_cube target)")
        for p in (cls.path, cls.a_path):
            env = dict(os.environ, HWSIM_CUBE_FIXTURE=p)
            res = subprocess.run([test_cube, "--filter=cube/fixture"], env=env,
                                 capture_output=True, text=True)
            if res.returncode != 0 or not os.path.exists(p):
                raise SystemExit(f"FAIL: {test_cube} --filter=cube/fixture did not write {p}:\n"
                                 f"{res.stdout}{res.stderr}")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_xarray_named_dims_and_labels(self):
        with xr.open_dataset(self.path, engine="h5netcdf") as ds:
            self.assertEqual(ds["fte"].dims, ("replicate", "year", "group", "sector"))
            self.assertEqual(ds["persons"].dims, ("replicate", "year", "group", "sector"))
            self.assertEqual(list(ds["group"].values), GROUPS)
            self.assertEqual(list(ds["sector"].values), SECTORS)
            self.assertEqual([int(v) for v in ds["year"].values], YEARS)
            self.assertEqual([int(v) for v in ds["replicate"].values], list(range(NREP)))
            self.assertFalse(any(d.startswith("phony_dim") for d in ds.dims))
            self.assertEqual(int(ds.attrs["seed"]), 42)
            self.assertEqual(ds.attrs["model_version"], "test")
            self.assertEqual(ds["fte"].attrs["units"], "FTE")
            self.assertIn("cell_methods", ds["fte"].attrs)

    def test_scale_factor_decodes(self):
        with xr.open_dataset(self.path, engine="h5netcdf") as ds:
            v = ds["fte"].sel(replicate=0, year=2019, group="nurse", sector="municipal")
            self.assertAlmostEqual(float(v), 123.45, places=9)  # stored 12345, scale 0.01
            self.assertEqual(ds["fte"].encoding["dtype"], np.dtype("int32"))
            self.assertTrue(np.issubdtype(ds["persons"].dtype, np.integer))  # no scale_factor

    def test_headline_selection(self):
        # Nurses in 2020, health sectors summed, quantiles over replicates.
        expect = [sum(fte_raw(r, 1, 0, s) for s in range(3)) * 0.01 for r in range(NREP)]
        with xr.open_dataset(self.path, engine="h5netcdf") as ds:
            tot = ds["fte"].sel(year=2020, group="nurse", sector=HEALTH).sum("sector")
            np.testing.assert_allclose(tot.values, expect, rtol=0, atol=1e-9)
            q = tot.quantile([0.05, 0.5, 0.95], dim="replicate")
            np.testing.assert_allclose(q.values, [type7(expect, p) for p in (0.05, 0.5, 0.95)],
                                       atol=1e-9)

    def test_h5py_sees_scales(self):
        with h5py.File(self.path, "r") as f:
            fte = f["fte"]
            self.assertEqual([fte.dims[i][0].name for i in range(4)],
                             ["/replicate", "/year", "/group", "/sector"])
            self.assertEqual(fte.maxshape[0], None)
            self.assertEqual(fte.chunks, (1, 2, 3, 5))
            self.assertEqual(fte.compression, "gzip")
            self.assertTrue(fte.shuffle)
            self.assertEqual(int(fte[2, 1, 2, 4]), fte_raw(2, 1, 2, 4))

    def test_h5dump_shows_dimension_scales(self):
        h5dump = shutil.which("h5dump")
        self.assertIsNotNone(h5dump, "h5dump not installed (apt-get install hdf5-tools)")
        out = subprocess.run([h5dump, "-A", self.path], capture_output=True, text=True,
                             check=True).stdout
        self.assertIn('ATTRIBUTE "DIMENSION_LIST"', out)
        self.assertIn('"DIMENSION_SCALE"', out)
        self.assertIn('ATTRIBUTE "REFERENCE_LIST"', out)

    # ----- the CLI (needs sim/main.c to dispatch to summary_main/compare_main)
    def run_hwsim(self, *args):
        b = hwsim_bin()
        if not os.path.exists(b):
            self.skipTest(f"{b} not built yet (sim/main.c)")
        return subprocess.run([b, *args], capture_output=True, text=True)

    def test_summary_csv_by_group(self):
        res = self.run_hwsim("summary", self.path, "--csv", "--by", "group")
        self.assertEqual(res.returncode, 0, res.stderr)
        rows = list(csv.reader(io.StringIO(res.stdout)))
        self.assertEqual(rows[0], ["group", "year", "mean", "p05", "p50", "p95"])
        self.assertEqual(len(rows), 1 + len(GROUPS) * len(YEARS))
        got = {(r[0], int(r[1])): [float(x) for x in r[2:]] for r in rows[1:]}
        for g, gname in enumerate(GROUPS):
            for y, year in enumerate(YEARS):
                per_rep = [sum(fte_raw(r, y, g, s) for s in range(3)) * 0.01
                           for r in range(NREP)]
                want = [sum(per_rep) / NREP] + [type7(per_rep, p) for p in (0.05, 0.5, 0.95)]
                np.testing.assert_allclose(got[(gname, year)], want, atol=0.006)
        # Hand-computed: nurse 2019 = (37035 + 3 + 3000 r)/100 -> 370.38, 400.38, 430.38.
        self.assertEqual(got[("nurse", 2019)][0], 400.38)

    def test_summary_by_sector_shows_all_sectors(self):
        res = self.run_hwsim("summary", self.path, "--csv", "--measure", "persons",
                             "--by", "sector", "--years", "2019")
        self.assertEqual(res.returncode, 0, res.stderr)
        rows = list(csv.reader(io.StringIO(res.stdout)))
        self.assertEqual([r[0] for r in rows[1:]], SECTORS)
        # outside (s=3), 2019: sum_g (r+1)*4*(g+1) = 24 (r+1) -> mean 48.
        self.assertEqual(float(rows[4][2]), 48.0)

    def test_summary_errors(self):
        missing = os.path.join(self.tmp, "missing.h5")
        res = self.run_hwsim("summary", missing)
        self.assertEqual(res.returncode, 2)
        self.assertEqual(res.stdout, "")
        self.assertEqual(len(res.stderr.splitlines()), 1, res.stderr)
        self.assertTrue(res.stderr.startswith(f"hwsim summary: {missing}: "), res.stderr)
        res = self.run_hwsim("summary", self.path, "--years", "2019,2071")
        self.assertEqual(res.returncode, 2)
        self.assertIn("2071", res.stderr)
        self.assertEqual(len(res.stderr.splitlines()), 1, res.stderr)
        res = self.run_hwsim("summary", self.path, "--measure", "nonsense")
        self.assertEqual(res.returncode, 2)
        self.assertIn("fte", res.stderr)

    def test_compare_same_cube_is_zero(self):
        res = self.run_hwsim("compare", self.path, self.a_path, "--csv", "--by", "group")
        self.assertEqual(res.returncode, 0, res.stderr)
        rows = list(csv.reader(io.StringIO(res.stdout)))
        self.assertEqual(rows[0], ["group", "year", "mean", "p05", "p50", "p95"])
        for r in rows[1:]:
            self.assertEqual([float(x) for x in r[2:]], [0.0] * 4)


if __name__ == "__main__":
    prog = unittest.main(exit=False, verbosity=2)
    sys.exit(0 if prog.result.wasSuccessful() else 1)
