ARG PYMAN_PYTHON_MIRROR=https://artifacts.example.com/python-build-standalone
ARG PYMAN_CATALOGUE_URL=$PYMAN_PYTHON_MIRROR/download-metadata.json
RUN pyman install 3.13 --default
