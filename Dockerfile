# One image for every Node service of the shop: `docker run glasshouse/shop:dev checkout`.
# Built once (npm ci, tsc -b); the final stage holds the compiled workspaces and production
# dependencies only. NODE_IMAGE swaps the base (CI builds from a local Node 24 image).
ARG NODE_IMAGE=node:24-bookworm-slim

# Only the manifests, so the npm ci layer below is reused until a dependency changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && for manifest in packages/*/package.json services/*/package.json tools/*/package.json; do \
      mkdir -p "/manifests/$(dirname "$manifest")" && cp "$manifest" "/manifests/$manifest"; \
    done

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# Each workspace keeps everything but its sources: package.json, dist/ and data such as the
# currency rates or the frontend's static files; proto/ serves gRPC reflection.
# npm run build: tsc -b, then the browser bundle the frontend serves (static/js/rum.js).
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && mkdir -p /out \
 && cp -a package.json node_modules proto /out/ \
 && cp -a deploy/compose/image /out/image \
 && for workspace in packages/* services/* tools/*; do \
      mkdir -p "/out/$workspace" \
      && find "$workspace" -mindepth 1 -maxdepth 1 ! -name src ! -name 'tsconfig*.json' ! -name '*.tsbuildinfo' \
           -exec cp -a {} "/out/$workspace/" \; ; \
    done

FROM ${NODE_IMAGE} AS shop
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out/ ./
# The node user of the official image; numeric, so any base without that name works too.
USER 1000:1000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "/app/image/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/image/start.mjs"]
CMD ["frontend"]
