# The dashboard's standalone build (`node server.js`) in a small image, for deploy/kubernetes
# (docs/deploy.md). Not built by the project's tests: see docs/deploy.md for what was tried.
#   docker build -t registry.example.com/peak-investigation:0.1.0 .
# It holds the dashboard only: no command line, so no embedded database and no built-in
# scheduler. Run it with DATABASE_URL and NEXTAUTH_SECRET; run `peaks` commands (migrations as
# the owner, users, backups) from a checkout of the same version.

FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
# The install runs `prisma generate`, which needs the schema and Prisma's configuration.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci
COPY . .
RUN npm run build && cp -r .next/static .next/standalone/.next/

FROM node:20-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /src/.next/standalone ./
USER node
EXPOSE 3000
CMD ["node", "server.js"]
