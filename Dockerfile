# The platform's image: web (gunicorn), worker and beat all run from it (see compose.yaml).
# Written to be read, not built here: this machine has no Docker engine.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.production

# DejaVu covers every Vietnamese diacritic; certificates embed it (licence: /usr/share/doc/fonts-dejavu-core).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 app
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app . .
# Compiled catalogues and collected static files are part of the image. The build needs a
# secret only to load the production settings; it is thrown away with this layer.
RUN pybabel compile --domain django --directory locale \
 && SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media && chown -R app:app /app/var

USER app
EXPOSE 8000
# The web's check (/healthz/ is answered whatever the Host header; config/middleware.py). The
# worker and beat containers of compose.yaml run their own.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz/', timeout=4)"
# Threaded workers, so that streamed ZIPs and CSVs are not cut by the timeout (config/gunicorn.py).
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
