# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4 libarchive13 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=ghcr.io/pyman-dev/pyman:0.1.0 /pyman /usr/local/bin/
ENV PYMAN_INSTALL_DIR=/opt/python PYMAN_BIN_DIR=/usr/local/bin
ARG PYMAN_PYTHON_MIRROR
WORKDIR /app
COPY pyman.lock .python-version ./
RUN --mount=type=cache,target=/root/.cache/pyman \
    pyman install --locked --default
RUN pyman venv /opt/venv              # in /app, the locked Python
