# download-metadata.json: a copy of the catalogue that you keep with the Dockerfile
COPY download-metadata.json /tmp/
ENV PYMAN_DOWNLOADS_JSON=/tmp/download-metadata.json
RUN pyman install 3.13.5 --default
