"""deploy/kubernetes validates against the Kubernetes schemas and hangs together.

The schemas are kubernetes-validate's bundled strict 1.33 JSON schemas (offline files in its
package), read and compiled once when this module is imported, at collection. Calling
``kubernetes_validate.validate`` per manifest re-parsed the 1.4 MB ``_definitions.json`` (some
38,000 objects, alive across the call's young-generation collections) every time, so these
cases were where the session's first full garbage collection after tests/client ran: the
leftovers of earlier tests were finalized inside a manifest case, and under
``filterwarnings = error`` any ResourceWarning from them failed that case. Now they allocate
little. ``test_the_schema_check_is_strict`` keeps the compiled validators honest.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from kubernetes_validate.utils import schema_contents
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy/kubernetes"
KUBERNETES_VERSION = "1.33.0"
SCHEMAS = f"kubernetes-json-schema/v{KUBERNETES_VERSION}-local-strict"
TLS_SECRET = "mcgateway-tls"


def _load() -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(MANIFESTS.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            docs[doc["kind"]] = doc
    return docs


def _schema_file(doc: dict[str, Any]) -> str:
    """The bundled schema of ``doc``'s kind, named as kubernetes_validate.validate names it."""
    api_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", doc["apiVersion"])
    return f"{SCHEMAS}/{doc['kind'].lower()}-{api_version}.json"


def _validators(paths: list[Path]) -> dict[str, jsonschema.Draft202012Validator]:
    """One strict validator per kind the manifests use, sharing one parse of the definitions."""
    registry = (
        Resource.from_contents(schema_contents(f"{SCHEMAS}/_definitions.json", KUBERNETES_VERSION))
        @ Registry()
    )
    validators = {}
    for path in paths:
        for doc in yaml.safe_load_all(path.read_text()):
            name = _schema_file(doc)
            if name not in validators:
                schema = schema_contents(name, KUBERNETES_VERSION)
                validators[name] = jsonschema.Draft202012Validator(
                    schema, registry=Resource.from_contents(schema) @ registry
                )
    return validators


MANIFEST_FILES = [p for p in sorted(MANIFESTS.glob("*.yaml")) if p.name != "kustomization.yaml"]
VALIDATORS = _validators(MANIFEST_FILES)


def _validate(doc: dict[str, Any]) -> None:
    VALIDATORS[_schema_file(doc)].validate(doc)


@pytest.mark.parametrize("path", MANIFEST_FILES, ids=lambda p: p.name)
def test_manifest_validates_strictly_against_the_schema(path: Path) -> None:
    for doc in yaml.safe_load_all(path.read_text()):
        _validate(doc)


def test_the_schema_check_is_strict() -> None:
    """The precompiled validators reject what kubernetes-validate's strict mode rejects: an
    unknown field (a typo such as ``readinessprobe``) and a wrong type."""
    deployment = _load()["Deployment"]
    _validate(deployment)
    typo = copy.deepcopy(deployment)
    container = typo["spec"]["template"]["spec"]["containers"][0]
    container["readinessprobe"] = container.pop("readinessProbe")
    with pytest.raises(jsonschema.ValidationError, match="readinessprobe"):
        _validate(typo)
    wrong = copy.deepcopy(deployment)
    wrong["spec"]["replicas"] = "three"
    with pytest.raises(jsonschema.ValidationError):
        _validate(wrong)


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
    # The kubelet's gRPC probe cannot speak TLS: both probes run `mcgateway health` with the
    # configuration `serve` reads, so they check grpc.health.v1 the way serve serves it.
    for probe in ("readinessProbe", "livenessProbe"):
        command = container[probe]["exec"]["command"]
        assert command[:2] == ["mcgateway", "health"], probe
        assert _flag(command, "--config") == _flag(container["args"], "--config"), probe
        assert container[probe]["timeoutSeconds"] >= 5, "a Python process needs the time"
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert pod["securityContext"]["runAsNonRoot"] is True

    # Every reference resolves to a shipped manifest, except the TLS Secret, which
    # cert-manager or `kubectl create secret tls` makes (README.md says how).
    names = {d["metadata"]["name"] for d in docs.values()} | {TLS_SECRET}
    for env in container["env"]:
        if "valueFrom" in env:
            assert env["valueFrom"]["secretKeyRef"]["name"] in names
    # Any mcgateway process in the pod (kubectl exec ... mcgateway health) reads the same file.
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["MCGATEWAY_CONFIG"] == _flag(container["args"], "--config")
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
    config_path = _flag(container["args"], "--config")
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert config_path == mounts["config"] + "/mcgateway.toml"
    config = tomllib.loads(docs["ConfigMap"]["data"]["mcgateway.toml"])
    assert config["tokens_file"].startswith(mounts["tokens"] + "/")


def test_grpc_is_served_over_tls_from_the_mounted_certificate_secret(tmp_path: Path) -> None:
    """Bearer tokens never cross the network in plaintext: the ConfigMap names the TLS files
    of the kubernetes.io/tls Secret the Deployment mounts, under the keys that Secret type has."""
    from mcgateway.config import load_config

    docs = _load()
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    tls = volumes["tls"]["secret"]
    assert tls["secretName"] == TLS_SECRET
    assert {item["key"]: item["path"] for item in tls["items"]} == {
        "tls.crt": "tls.crt",
        "tls.key": "tls.key",
    }
    assert mounts["tls"]["readOnly"] is True
    (tmp_path / "mcgateway.toml").write_text(docs["ConfigMap"]["data"]["mcgateway.toml"])
    config = load_config({}, environ={}, config_file=tmp_path / "mcgateway.toml")
    tls_dir = mounts["tls"]["mountPath"]
    assert str(config.tls_cert) == f"{tls_dir}/tls.crt"
    assert str(config.tls_key) == f"{tls_dir}/tls.key"
    # No readable keys for other users in the pod; the gateway (fsGroup) can read them.
    for name in ("tls", "tokens"):
        assert volumes[name]["secret"]["defaultMode"] == 0o440
    assert pod["securityContext"]["fsGroup"]


def test_network_policy_admits_only_labelled_clients_and_monitoring() -> None:
    docs = _load()
    policy = docs["NetworkPolicy"]["spec"]
    pod = docs["Deployment"]["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    # It selects the gateway pods, and only restricts ingress (egress to MaxCompute stays open).
    assert policy["podSelector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert policy["policyTypes"] == ["Ingress"]
    admitted: dict[int, list[dict[str, Any]]] = {}
    for rule in policy["ingress"]:
        # A rule without `from` or `ports` would admit every source or every port.
        assert rule["from"] and rule["ports"], rule
        for port in rule["ports"]:
            assert port["protocol"] == "TCP"
            admitted.setdefault(port["port"], []).extend(rule["from"])
    assert set(admitted) == set(ports.values()), "every port has exactly its own rule"
    assert admitted[ports["grpc"]] == [
        {"podSelector": {"matchLabels": {"mcgateway-client": "true"}}}
    ]
    assert admitted[ports["metrics"]] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}
    ]


def test_readme_says_how_to_make_the_tls_secret_and_label_clients() -> None:
    readme = (MANIFESTS / "README.md").read_text()
    assert re.search(rf"kubectl (-n \S+ )?create secret tls {TLS_SECRET} ", readme)
    certificates = [
        doc
        for block in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
        for doc in yaml.safe_load_all(block)
        if doc and doc.get("kind") == "Certificate"
    ]
    (certificate,) = certificates
    assert certificate["apiVersion"] == "cert-manager.io/v1"
    assert certificate["spec"]["secretName"] == TLS_SECRET
    # Clients dial the headless Service's DNS name: the certificate must carry it.
    service = _load()["Service"]["metadata"]["name"]
    assert any(name.startswith(f"{service}.") for name in certificate["spec"]["dnsNames"])
    assert "mcgateway-client" in readme and "monitoring" in readme


def _flag(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]
