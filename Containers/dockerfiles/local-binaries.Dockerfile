# … instead of the COPY --from line: the release binaries in the build context, one per architecture,
# bin/amd64/pyman (make release: dist/bin/pyman) and bin/arm64/pyman (dist-aarch64/bin/pyman)
ARG TARGETARCH
COPY bin/${TARGETARCH}/pyman /usr/local/bin/
