import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { serviceSpec } from '@glasshouse/kit/core';
import { labels } from './labels.js';
import { NAMESPACES } from './shop.js';

export const SHOP_HOST = 'shop.localhost';
export const GRAFANA_HOST = 'grafana.localhost';
/** Grafana's Service as kube-prometheus-stack names it with our values (grafana.fullnameOverride). */
export const GRAFANA_SERVICE = { name: 'grafana', port: 80 } as const;

/** One entry point (k3d's Traefik): the shop at shop.localhost, Grafana at grafana.localhost. */
export function ingresses(): [Ingress, Ingress] {
  const ingress = (name: string, namespace: string, host: string, service: { name: string; port: number }) =>
    new Ingress({
      metadata: { name, namespace, labels: labels(name, 'ingress') },
      spec: {
        ingressClassName: 'traefik',
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: service.name, port: { number: service.port } } },
                },
              ],
            },
          },
        ],
      },
    });
  return [
    ingress('shop', NAMESPACES.shop, SHOP_HOST, { name: 'frontend', port: serviceSpec('frontend').port }),
    ingress('grafana', NAMESPACES.monitoring, GRAFANA_HOST, GRAFANA_SERVICE),
  ];
}
