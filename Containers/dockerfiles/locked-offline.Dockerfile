RUN --mount=type=cache,target=/root/.cache/pyman \
    PYMAN_OFFLINE=1 pyman install --locked --default       # or: pyman install --locked --default --offline
