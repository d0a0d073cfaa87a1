COPY cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz /tmp/
RUN cd /tmp && pyman install ./cpython-3.13.5+20250723-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz --default
