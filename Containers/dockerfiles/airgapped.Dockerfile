COPY python-mirror /python-mirror
RUN PYMAN_DOWNLOADS_JSON=/python-mirror/downloads.json PYMAN_OFFLINE=1 pyman install 3.13 --default
