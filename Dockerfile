# Weft web/worker image (for users with Docker; see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /app/web
COPY web/package.json web/package-lock.json web/build-assets.mjs ./
RUN npm ci --no-audit --no-fund && npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/web/static/vendor web/static/vendor
RUN python manage.py compilemessages -v0 --ignore=web/node_modules && python manage.py collectstatic --noinput -v0
EXPOSE 8000
CMD ["gunicorn", "core.wsgi:application"]
