"""deploy/kubernetes validates against the Kubernetes schemas and hangs together."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy/kubernetes"
KUBERNETES_VERSION = "1.33.0"


def _load() -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(MANIFESTS.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            docs[doc["kind"]] = doc
    return docs


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(MANIFESTS.glob("*.yaml")) if p.name != "kustomization.yaml"],
    ids=lambda p: p.name,
)
def test_manifest_validates_strictly_against_the_schema(path: Path) -> None:
    for doc in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    listed = set(yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())["resources"])
    present = {p.name for p in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


def test_manifests_reference_each_other_consistently() -> None:
    docs = _load()
    deployment, service, pdb = docs["Deployment"], docs["Service"], docs["PodDisruptionBudget"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    # Headless, so DNS lists every pod and clients balance with round_robin.
    assert service["spec"]["clusterIP"] == "None"

    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["grpc"]["port"] == ports["grpc"], "probes use gRPC health"
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert pod["securityContext"]["runAsNonRoot"] is True

    names = {d["metadata"]["name"] for d in docs.values()}
    for env in container["env"]:
        assert env["valueFrom"]["secretKeyRef"]["name"] in names
    for volume in pod["volumes"]:
        ref = volume.get("configMap", {}).get("name") or volume.get("secret", {}).get("secretName")
        assert ref is None or ref in names


def test_configmap_is_a_valid_gateway_config(tmp_path: Path) -> None:
    from mcgateway.config import load_config

    toml = _load()["ConfigMap"]["data"]["mcgateway.toml"]
    (tmp_path / "mcgateway.toml").write_text(toml)
    config = load_config({}, environ={}, config_file=tmp_path / "mcgateway.toml")
    assert config.endpoint and config.tokens_file
    assert config.listen.endswith(":50051")
    assert config.metrics_listen and config.metrics_listen.endswith(":9090")


def test_deployment_args_and_mounts_match_the_configmap() -> None:
    docs = _load()
    container = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    config_path = container["args"][container["args"].index("--config") + 1]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert config_path.startswith(mounts["config"] + "/")
    config = tomllib.loads(docs["ConfigMap"]["data"]["mcgateway.toml"])
    assert config["tokens_file"].startswith(mounts["tokens"] + "/")
