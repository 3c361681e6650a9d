#!/usr/bin/env bash
# Glasshouse on a local 3-node k3d cluster: builds the shop's image, installs the monitoring and
# telemetry charts with our values (deploy/helm), applies our manifests (deploy/kubernetes),
# waits for every rollout and prints the URLs.
#
#   deploy/k3d/up.sh            the dev overlay (one replica of each service)
#   OVERLAY=prod deploy/k3d/up.sh   prod: replicas, CloudNativePG, Redis Sentinel, TLS
#
# Needs docker, k3d, kubectl and helm on PATH (and a running Docker engine).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLUSTER=glasshouse
OVERLAY=${OVERLAY:-dev}
IMAGE=glasshouse/shop:${GLASSHOUSE_VERSION:-dev}
# Stands in for the database password in the committed manifests; replaced before applying.
PLACEHOLDER=placeholder-replaced-by-up-sh
TIMEOUT=${TIMEOUT:-600s}

# Pinned chart versions: repository, chart, version.
CHARTS=(
  "prometheus-community https://prometheus-community.github.io/helm-charts"
  "grafana https://grafana.github.io/helm-charts"
  "jaegertracing https://jaegertracing.github.io/helm-charts"
  "open-telemetry https://open-telemetry.github.io/opentelemetry-helm-charts"
  "cnpg https://cloudnative-pg.github.io/charts"
)
KUBE_PROMETHEUS_STACK=79.6.1
LOKI=6.45.2
TEMPO=1.23.3
JAEGER=3.4.1
OTEL_COLLECTOR=0.140.0
ALLOY=1.11.1
CLOUDNATIVE_PG=0.26.1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'up.sh: %s\n' "$*" >&2; exit 1; }

case "$OVERLAY" in dev | prod) ;; *) fail "OVERLAY must be dev or prod, got '$OVERLAY'" ;; esac

missing=()
for tool in docker k3d kubectl helm openssl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  {
    echo "up.sh: missing on PATH: ${missing[*]}"
    echo "  docker:  https://docs.docker.com/engine/install/"
    echo "  k3d:     https://k3d.io/#installation"
    echo "  kubectl: https://kubernetes.io/docs/tasks/tools/"
    echo "  helm:    https://helm.sh/docs/intro/install/"
    echo "  openssl: your distribution's openssl package"
  } >&2
  exit 1
fi
docker info >/dev/null 2>&1 || fail "docker is installed but its engine does not answer (is dockerd running?)"

if k3d cluster list "$CLUSTER" >/dev/null 2>&1; then
  say "cluster $CLUSTER exists; reusing it"
else
  say "creating cluster $CLUSTER (1 server, 2 agents)"
  k3d cluster create --config "$ROOT/deploy/k3d/cluster.yaml"
fi
kubectl config use-context "k3d-$CLUSTER" >/dev/null

say "building $IMAGE from the root Dockerfile"
docker build -t "$IMAGE" "$ROOT"
say "importing $IMAGE into the cluster's nodes"
k3d image import "$IMAGE" --cluster "$CLUSTER"

for entry in "${CHARTS[@]}"; do
  # shellcheck disable=SC2086 # "name url" splits into helm's two arguments
  helm repo add $entry --force-update >/dev/null
done
helm repo update >/dev/null

# A value of an existing Secret, or a new random one: re-running keeps the passwords that
# the database and Grafana were initialised with.
secret_value() { # namespace name key
  kubectl get secret -n "$1" "$2" -o "jsonpath={.data.$3}" 2>/dev/null | base64 -d 2>/dev/null || true
}
for namespace in microservices-demo monitoring observability; do
  kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
done
db_password=$(secret_value microservices-demo postgres-credentials password)
if [ -z "$db_password" ] || [ "$db_password" = "$PLACEHOLDER" ]; then db_password=$(openssl rand -hex 24); fi
grafana_password=$(secret_value monitoring grafana-admin admin-password)
[ -n "$grafana_password" ] || grafana_password=$(openssl rand -hex 16)
kubectl create secret generic grafana-admin -n monitoring \
  --from-literal=admin-user=admin --from-literal=admin-password="$grafana_password" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl create secret generic grafana-database -n monitoring \
  --from-literal=GLASSHOUSE_GRAFANA_DB_USER=shop --from-literal=GLASSHOUSE_GRAFANA_DB_PASSWORD="$db_password" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
# Receivers' secrets (deploy/alertmanager/stack.yml reads them as files); empty until you fill them.
if ! kubectl get secret -n monitoring alertmanager-receivers >/dev/null 2>&1; then
  kubectl create secret generic alertmanager-receivers -n monitoring \
    --from-literal=smtp-password= --from-literal=slack-webhook-url=https://hooks.slack.invalid/replace-me \
    --from-literal=webhook-token= --from-literal=pagerduty-routing-key= --from-literal=heartbeat-token= >/dev/null
fi
if [ "$OVERLAY" = prod ]; then
  for namespace in microservices-demo monitoring; do
    kubectl get secret -n "$namespace" glasshouse-tls >/dev/null 2>&1 ||
      fail "prod serves TLS from Secret glasshouse-tls in $namespace: kubectl create secret tls glasshouse-tls -n $namespace --cert=... --key=..."
  done
fi

values() { # chart: our values, plus the prod ones for the prod overlay when there are any
  local args=(-f "$ROOT/deploy/helm/$1.values.yaml")
  if [ "$OVERLAY" = prod ] && [ -f "$ROOT/deploy/helm/$1.prod.values.yaml" ]; then
    args+=(-f "$ROOT/deploy/helm/$1.prod.values.yaml")
  fi
  printf '%s\n' "${args[@]}"
}
install() { # release namespace chart version
  local release=$1 namespace=$2 chart=$3 version=$4 name=${3#*/}
  say "installing $chart $version as $release in $namespace"
  mapfile -t files < <(values "$name")
  helm upgrade --install "$release" "$chart" --version "$version" --namespace "$namespace" \
    "${files[@]}" --wait --timeout "$TIMEOUT"
}

if [ "$OVERLAY" = prod ]; then
  say "installing the CloudNativePG operator $CLOUDNATIVE_PG"
  helm upgrade --install cnpg cnpg/cloudnative-pg --version "$CLOUDNATIVE_PG" \
    --namespace cnpg-system --create-namespace --wait --timeout "$TIMEOUT"
fi
install monitoring monitoring prometheus-community/kube-prometheus-stack "$KUBE_PROMETHEUS_STACK"
install loki observability grafana/loki "$LOKI"
install tempo observability grafana/tempo "$TEMPO"
install jaeger observability jaegertracing/jaeger "$JAEGER"
install otel-collector observability open-telemetry/opentelemetry-collector "$OTEL_COLLECTOR"
install alloy observability grafana/alloy "$ALLOY"

say "applying deploy/kubernetes/overlays/$OVERLAY"
# Server-side apply: dashboards' ConfigMaps are larger than the client-side annotation allows.
kubectl kustomize "$ROOT/deploy/kubernetes/overlays/$OVERLAY" |
  sed "s/$PLACEHOLDER/$db_password/g" |
  kubectl apply --server-side --force-conflicts -f -

say "waiting for every rollout in microservices-demo"
for kind in statefulset deployment; do
  for name in $(kubectl get "$kind" -n microservices-demo -o name); do
    kubectl rollout status "$name" -n microservices-demo --timeout "$TIMEOUT"
  done
done
if [ "$OVERLAY" = prod ]; then
  kubectl wait cluster.postgresql.cnpg.io/postgres -n microservices-demo --for=condition=Ready --timeout "$TIMEOUT"
fi

cat <<URLS

Glasshouse is up (overlay $OVERLAY).
  shop          http://shop.localhost:8080        (https://shop.localhost:8443 with prod's TLS)
  grafana       http://grafana.localhost:8080  or http://localhost:3000   user admin, password:
                kubectl get secret -n monitoring grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d
  prometheus    http://localhost:9090
  alertmanager  http://localhost:9093
  jaeger        http://localhost:16686
Traffic: the loadgen Deployment (dev) and the k6 CronJob every 15 minutes (plus a first Job now).
Remove it all with deploy/k3d/down.sh.
URLS
