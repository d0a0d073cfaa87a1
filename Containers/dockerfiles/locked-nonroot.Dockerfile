RUN useradd --create-home --uid 1000 app
USER app
WORKDIR /home/app/project
ENV PYMAN_INSTALL_DIR=/home/app/python PYMAN_BIN_DIR=/home/app/bin PATH=/home/app/bin:$PATH
COPY --chown=app:app pyman.lock .python-version ./
RUN --mount=type=cache,target=/home/app/.cache/pyman,uid=1000,gid=1000 \
    pyman install --locked
