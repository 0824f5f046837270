# One image for migrate, web, worker and beat (docker-compose.yml). Assets come from the pinned npm packages.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# postgresql-client-15: pg_dump/pg_restore of the server's major version (`manage.py backup` / `restore`).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext fonts-wqy-microhei postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY deputies_platform ./deputies_platform
COPY apps ./apps
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# Build steps need no secrets and touch no database: development defaults, for these two commands only.
RUN export DEV_DEFAULTS=true DATABASE_URL=postgres://build@127.0.0.1/none \
 && python manage.py compilemessages --ignore=node_modules -v 0 \
 && python manage.py collectstatic --noinput -v 0
RUN useradd --system --home /app app \
 && mkdir -p /app/var/media /app/var/backups /app/var/staticfiles && chown -R app /app/var
USER app
# Production: every secret must be given (see .env.example); nothing falls back to a development default.
ENV DEV_DEFAULTS=false
EXPOSE 8000
CMD ["gunicorn", "deputies_platform.wsgi", "-b", "0.0.0.0:8000", "-w", "2", "--access-logfile", "-"]
