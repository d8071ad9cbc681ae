# One image for the five apps: `APP` selects which one runs (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# python3, make and g++ build zstd-napi when its prebuilt binary cannot be fetched; patches/ is
# applied to node_modules by the postinstall step (patch-package).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY patches ./patches
# `npm ci` runs the `prepare` script, which skips the git hooks here (no .git in the image).
COPY scripts/install-git-hooks.js ./scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.dist.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
# The admin console is built into dist/console beside the apps; the gateway serves it at /console.
RUN npx tsc -p tsconfig.build.json && npm run build:console && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 TS_NODE_PROJECT=/app/tsconfig.dist.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.dist.json ./
COPY scripts/node-flags.sh ./scripts/
USER node
# tsconfig-paths (a runtime dependency) maps @lifecycle/* to dist/libs; the app's Node flags come
# from scripts/node-flags.sh, as `npm start` runs it.
CMD ["sh", "-c", "exec node $(sh scripts/node-flags.sh \"$APP\") -r tsconfig-paths/register dist/apps/${APP}/src/main.js"]
