# … after `RUN pyman install 3.13 --default` (as root)
RUN useradd --create-home --uid 1000 app
USER app
WORKDIR /home/app
RUN pyman venv /home/app/venv --seed          # or: python3 -m venv /home/app/venv
ENV PATH=/home/app/venv/bin:$PATH
