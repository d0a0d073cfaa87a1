RUN --mount=type=bind,from=build,source=/src/dist/bin/pyman,target=/usr/local/bin/pyman \
    pyman install 3.13 --default
