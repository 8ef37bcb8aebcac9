FROM python:3.11-slim-bookworm

# The app runs from its source tree in /app (templates, catalogues and lexicon data live there).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONPATH=/app
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libzbar0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY accounts ./accounts
COPY marketplace ./marketplace
COPY matching ./matching
COPY events ./events
RUN pip install --no-cache-dir .
COPY . .
RUN python scripts/compile_messages.py \
    && SITE_URL=https://build.invalid python manage.py collectstatic --noinput --verbosity 0
RUN useradd --create-home techmart && mkdir -p /app/media && chown techmart /app/media
USER techmart
EXPOSE 8000
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", "config.asgi:application"]
