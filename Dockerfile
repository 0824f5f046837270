# One image for web, worker and beat (docker-compose.yml). Assets come from the pinned npm packages.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY deputies_platform ./deputies_platform
COPY apps ./apps
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN DATABASE_URL=postgres://build@127.0.0.1/none python manage.py compilemessages --ignore=node_modules -v 0 \
 && DATABASE_URL=postgres://build@127.0.0.1/none python manage.py collectstatic --noinput -v 0
RUN useradd --system --home /app app && mkdir -p /app/var && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "deputies_platform.wsgi", "-b", "0.0.0.0:8000", "-w", "2"]
