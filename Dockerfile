# syntax=docker/dockerfile:1
# MirrorDeck web and worker images from one multi-stage build:
#   docker build --target web -t mirrordeck-web .    docker build --target worker -t mirrordeck-worker .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
COPY apps/worker/package.json apps/worker/
COPY packages/config/package.json packages/config/
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY packages/alerts/package.json packages/alerts/
COPY packages/failover/package.json packages/failover/
COPY packages/kafka/package.json packages/kafka/
COPY packages/mm2/package.json packages/mm2/
COPY packages/mm2-interchange/package.json packages/mm2-interchange/
COPY packages/replication/package.json packages/replication/
COPY packages/security/package.json packages/security/
COPY playwright/package.json playwright/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run db:generate && NEXT_OUTPUT=standalone npx turbo run build

# The worker's runtime dependencies only (its bundle inlines the workspace packages): 366 MB
# instead of 766 MB with every workspace's.
FROM deps AS prod-deps
RUN rm -rf node_modules && npm ci --omit=dev --workspace @mirrordeck/worker --no-audit --no-fund

# One-shot migration runner (used by docker-compose's `migrate` service).
FROM build AS migrate
CMD ["npx", "tsx", "scripts/db/migrate.ts"]

FROM node:20-bookworm-slim AS worker
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/apps/worker/dist ./apps/worker/dist
COPY --from=build /app/package.json ./
USER node
EXPOSE 9464
CMD ["node", "apps/worker/dist/main.js"]

FROM node:20-bookworm-slim AS web
# Next's standalone server: only the files the app needs, no dev dependencies.
ENV NODE_ENV=production HOSTNAME=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/apps/web/.next/standalone ./
COPY --from=build --chown=node:node /app/apps/web/.next/static ./apps/web/.next/static
USER node
EXPOSE 3000
CMD ["node", "apps/web/server.js"]
