# syntax=docker/dockerfile:1
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY . .
RUN make release                 # installs libcurl4-openssl-dev, libarchive-dev with apt, zig from PyPI, builds dist/

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4 libarchive13 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# bin/pyman, and under share/ its bash, zsh and fish completions and its man page
COPY --from=build /src/dist/ /usr/local/
ENV PYMAN_INSTALL_DIR=/opt/python PYMAN_BIN_DIR=/usr/local/bin
