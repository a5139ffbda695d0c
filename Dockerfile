# The stackatlas image the deploy/compose.yaml example builds: the package with its ontology,
# shapes and shipped data, run as an unprivileged user. A replica holds no state of its own,
# so the image has no volume (docs/deployment.md).
FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir . && useradd --system --no-create-home stackatlas
USER stackatlas
EXPOSE 8000
CMD ["stackatlas", "serve", "--host", "0.0.0.0", "--port", "8000"]
