RUN --mount=type=bind,from=ghcr.io/pyman-dev/pyman:0.1.0,source=/pyman,target=/usr/local/bin/pyman \
    pyman install 3.13 --default
