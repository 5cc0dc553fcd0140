# node-unit in a container. `node-unit up --no-tui` is PID 1: it puts its own minimal init (native/init.c)
# in its place, which reaps orphaned processes and forwards signals, so `docker run --init` is not needed.
#
#   docker build -t node-unit .
#   docker run --rm --read-only --tmpfs /tmp --tmpfs /state:uid=1000,gid=1000 \
#     --security-opt no-new-privileges --cap-drop ALL -v "$PWD:/app:ro" node-unit
#
# Or as a base for a project image: FROM node-unit, then COPY your project (with its ecosystem file) to /app.

FROM node:20-bookworm-slim AS build
# The native helpers (log pipes, node-unit-init) need a compiler; the runtime image does not.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/node-unit
COPY . .
RUN npm ci \
 && test -x build/Release/node-unit-init \
 && npm prune --omit=dev \
 && rm -rf build/Release/obj.target build/Release/.deps dist/test test src

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NODE_UNIT_STATE_DIR=/state
COPY --from=build /opt/node-unit /opt/node-unit
RUN ln -s /opt/node-unit/bin/node-unit.js /usr/local/bin/node-unit \
 && mkdir -p /app /state \
 && chown node:node /state
# The state folder (logs, socket, orphan records) is the only place node-unit writes: with a read-only root
# file system, mount a volume or a tmpfs there.
VOLUME ["/state"]
USER node
WORKDIR /app
ENTRYPOINT ["node", "/opt/node-unit/bin/node-unit.js"]
CMD ["up", "--no-tui"]
