WORKDIR /app
COPY .python-version ./
RUN pyman install --default           # no request: .python-version, searched upward from /app
RUN pyman venv /opt/venv              # the same pin picks the interpreter
