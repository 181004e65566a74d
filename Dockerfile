# syntax=docker/dockerfile:1
# One image for every Wachtpost service; docker-compose.yml picks the service with `command`.
# The services run their TypeScript sources with tsx and the image holds the whole workspace with its dev
# dependencies (tsx is one); the one build step is the console's web app (Vite, into console/web/dist), which
# the console server serves.
#
# Commands (working directory /app):
#   node --import tsx platform/src/bin/migrate.ts  migrations, JetStream streams/consumers, then exits (= pnpm migrate)
#   node --import tsx ingest/src/main.ts           one ingest worker    (= pnpm --filter @wachtpost/ingest start)
#   node --import tsx detectors/src/main.ts        the detectors        (= pnpm --filter @wachtpost/detectors start)
#   node --import tsx console/server/src/main.ts   the console: API, live push, web app (= pnpm --filter @wachtpost/console start)
#   node --import tsx simulator/src/cli.ts feed --speed 1   realistic simulated traffic (= pnpm sim feed --speed 1)
#   node --import tsx platform/src/bin/start.ts    everything in one process (= pnpm start; the default command,
#                                                  given DATABASE_URL and NATS_URL: no embedded servers in the image)
# Services are started with node itself, so that `docker stop`'s SIGTERM reaches the process that shuts down
# gracefully (drain NATS, finish the batch in flight): not through pnpm (one process more in between), nor the
# tsx command, which relays the signal but kills its child (SIGKILL) when it has not answered within 60 ms.

# Pinned to the Node line the project is developed and tested on (engines: node >= 20.19).
# For reproducible builds pin the digest too: FROM node:20.20.2-bookworm-slim@sha256:<digest>.
FROM node:20.20.2-bookworm-slim

# corepack's signature check fails in some environments; npm installs the pinned pnpm directly.
RUN npm install -g pnpm@12.4.2 && npm cache clean --force

WORKDIR /app

# Fetch every package from the lockfile alone, so a change to the sources or a package.json does not
# download the dependencies again (pnpm fetch exists for exactly this layer).
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch

COPY . .
# The runtime user only reads the sources: make them world-readable whatever the build machine's umask was
# (node_modules, already readable, is left alone so this layer does not copy it).
RUN find /app -path /app/node_modules -prune -o -exec chmod a+rX {} + \
  && pnpm install --frozen-lockfile --offline --prod=false

# The console web app, built once here: the image is read-only at run time. Built after the sources were
# copied, so dist is newer than them and `pnpm start` (the default command) does not build it again.
RUN pnpm --filter @wachtpost/console-web build

# pnpm run would otherwise check node_modules against the install before every script, find the runtime
# user's store path differs from the build's, and try to reinstall into the read-only /app (checked with
# pnpm 12.4.2). Nor should it look for updates on the internet at run time.
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    PORT=8080 \
    WACHTPOST_SITES=/app/contracts/sites/demo.yaml \
    pnpm_config_verify_deps_before_run=false \
    pnpm_config_update_notifier=false

# The node user (uid 1000) comes with the base image; it owns nothing under /app, so a compromised service
# cannot change the code it runs. tsx writes its transform cache to /tmp.
USER node
EXPOSE 8080

# No HEALTHCHECK here: migrate exits and the simulator serves no HTTP, so docker-compose.yml sets one per
# long-running service (GET /readyz on PORT).
CMD ["node", "--import", "tsx", "platform/src/bin/start.ts"]
