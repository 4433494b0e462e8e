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
COPY packages/kafka/package.json packages/kafka/
COPY packages/mm2/package.json packages/mm2/
COPY packages/replication/package.json packages/replication/
COPY playwright/package.json playwright/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run db:generate && npx turbo run build

# One-shot migration runner (used by docker-compose's `migrate` service).
FROM build AS migrate
CMD ["npx", "tsx", "scripts/db/migrate.ts"]

FROM node:20-bookworm-slim AS worker
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/apps/worker/dist ./apps/worker/dist
COPY --from=build /app/package.json ./
USER node
CMD ["node", "apps/worker/dist/main.js"]

FROM node:20-bookworm-slim AS web
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/apps/web ./apps/web
COPY --from=build /app/packages ./packages
COPY --from=build /app/package.json ./
USER node
EXPOSE 3000
CMD ["npx", "next", "start", "apps/web", "-H", "0.0.0.0", "-p", "3000"]
