"""The hub configurations (issue 14, points 2 and 3), checked offline: the Zero to JupyterHub values validate against
the chart's own values schema once merged over the chart's defaults (as Helm does), and the per-role Jupyter
config layers committed in hub/config are what scripts/hub.py generates."""

from __future__ import annotations

import copy
import filecmp
import importlib.util
import sys

import jsonschema
import pytest
import yaml

from testkit import ROOT

K8S = ROOT / "deploy" / "kubernetes"


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _load(name):
    return yaml.safe_load((K8S / name).read_text())


@pytest.fixture(scope="module")
def schema():
    return _load("chart/values.schema.yaml")


@pytest.mark.parametrize("extra", [[], ["auth-example.yaml"]])
def test_values_validate_against_the_charts_schema(schema, extra):
    values = _merge(_load("chart/values.yaml"), _load("config.yaml"))
    for name in extra:
        values = _merge(values, _load(name))
    jsonschema.validate(values, schema)


def test_the_schema_catches_mistakes(schema):
    """The check can fail: a misspelt key or a wrong type is refused."""
    base = _merge(_load("chart/values.yaml"), _load("config.yaml"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_merge(base, {"singleuser": {"memroy": {"limit": "1G"}}}), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_merge(base, {"cull": {"timeout": "an hour"}}), schema)


def test_values_carry_the_kit_settings():
    values = _load("config.yaml")
    user = values["singleuser"]
    assert user["storage"]["extraVolumeMounts"][0]["mountPath"] == "/srv/nbgrader/exchange"
    assert values["cull"]["enabled"] and values["cull"]["timeout"] <= 3600
    assert user["memory"]["limit"] and user["memory"]["guarantee"] and user["cpu"]["limit"]
    roles = values["hub"]["extraConfig"]["aireg-roles"]
    compile(roles, "aireg-roles", "exec")  # valid Python for the hub
    assert "/srv/aireg/hub/config" in roles and "c.KubeSpawner.uid" in roles


def test_config_layers_are_current(tmp_path):
    spec = importlib.util.spec_from_file_location("kit_hub", ROOT / "scripts" / "hub.py")
    hub = importlib.util.module_from_spec(spec)
    sys.modules["kit_hub"] = hub
    spec.loader.exec_module(hub)
    hub.write_config_layers(tmp_path)
    committed = ROOT / "hub" / "config"
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    for rel in made:
        assert filecmp.cmp(tmp_path / rel, committed / rel, shallow=False), f"run `python scripts/hub.py layers` ({rel})"
