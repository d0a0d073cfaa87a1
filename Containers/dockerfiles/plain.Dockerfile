# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4 libarchive13 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=ghcr.io/pyman-dev/pyman:0.1.0 /pyman /usr/local/bin/
ENV PYMAN_INSTALL_DIR=/opt/python PYMAN_BIN_DIR=/usr/local/bin
ARG PYMAN_PYTHON_MIRROR
ARG PYMAN_CATALOGUE_URL
RUN pyman install 3.13 --default
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt /app/
RUN pip install --no-cache-dir -r /app/requirements.txt
