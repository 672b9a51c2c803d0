# Production image: gunicorn + WhiteNoise; the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
COPY scripts/build-frontend scripts/build-frontend
RUN scripts/build-frontend

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt
COPY . .
COPY --from=frontend /app/static/govuk static/govuk
COPY --from=frontend /app/static/build static/build
# collectstatic needs a key to import settings; the real one comes at run time.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 10001 app && mkdir -p /app/var/media && chown -R app /app/var
USER app
EXPOSE 8000
# Workers, threads, timeouts and request limits: config/gunicorn.py, each
# settable by a GUNICORN_* environment variable.
CMD ["gunicorn", "-c", "config/gunicorn.py"]
