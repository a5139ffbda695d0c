"""Service settings: command-line flags override ``STACKATLAS_*`` environment variables.

Defaults are the safe ones: read-only, no federated SERVICE calls, bounded
queries. Operators loosen them explicitly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .resources import data_dir


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STACKATLAS_", extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _engine_url(cls, values: object) -> object:
        """``--store http://…`` (or ``STACKATLAS_STORE=http://…``) names an engine, not a directory."""
        if isinstance(values, dict):
            store = values.get("store")
            if isinstance(store, str) and store.startswith(("http://", "https://")):
                values = {**values, "store": None, "store_url": store}
        return values

    data: list[Path] = Field(default_factory=lambda: [data_dir()])
    """Data files or directories to serve (the shipped ``graph_data/`` by default)."""
    store: Path | None = None
    """Directory of an on-disk store to serve; the first start imports ``data`` into it (validated)."""
    store_url: str | None = None
    """A SPARQL engine to serve (``--store http://host:port/``): a stateless replica (docs/deployment.md)."""
    store_timeout: float = 10.0
    """Seconds an internal request to the SPARQL engine may take (``store_url``); 503 beyond."""
    store_generation_ttl: float = 0.1
    """Seconds a replica trusts the engine's generation before asking again (how stale a cache may be)."""
    store_timeout_parameter: str | None = None
    """Query parameter that passes a user query's time limit to the engine (``timeout``; ``timeout:ms``)."""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    allow_invalid: bool = False
    """Start even when the data has SHACL violations (the report is still printed)."""
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    """Least severe log line printed, for uvicorn's loggers and stackatlas' own."""
    api_docs: bool = False
    """Serve ``/docs``, ``/redoc`` and ``/openapi.json`` (their pages load scripts from a CDN)."""
    trusted_proxies: list[str] = Field(default_factory=list)
    """Addresses whose ``X-Forwarded-For`` names the client (per-client limits); empty trusts none."""
    shutdown_grace: float = 5.0
    """Seconds SIGTERM waits for requests in flight before they are cancelled."""

    # HTTP limits (see docs/security.md)
    max_header_bytes: int = 16_384
    """Total size of a request's header names and values; larger requests get 431."""
    max_headers: int = 100
    """Most header lines in one request; more get 431."""
    max_url_bytes: int = 65_536
    """Longest request target (path and query string); longer gets 414 (POST long SPARQL queries)."""
    max_body_bytes: int = 16_384
    """Largest request body of a route without a limit of its own (413 beyond)."""

    # Writes and tokens (see docs/writes.md)
    read_requires_token: bool = False
    """Close reads: every route but ``/health`` and ``/ready`` needs a token (scope read or more)."""
    write_max_body_bytes: int = 1_048_576
    """Largest body of ``/update``, ``/rdf-graphs`` and ``/ingest``; 413 beyond."""

    # Freshness (see docs/feed.md#freshness)
    stale_after_days: int = Field(default=365, ge=1)
    """A vendor last checked (reviewed, or its page copied) longer ago than this many days is stale."""

    # Webhooks (see docs/webhooks.md)
    webhook_hosts: list[str] = Field(default_factory=list)
    """Hosts (``name`` or ``name:port``) webhooks may call; empty: no webhook can be registered or called."""
    webhook_timeout: float = Field(default=10.0, gt=0)
    """Seconds one delivery (connect, send, answer) may take before it counts as failed."""
    webhook_retry_base: float = Field(default=1.0, gt=0)
    """Seconds before the first retry of a failed delivery; each further failure doubles it."""
    webhook_retry_max: float = Field(default=3600.0, gt=0)
    """Longest wait between two retries, in seconds."""
    webhook_poll_interval: float = Field(default=1.0, gt=0)
    """Seconds the dispatcher waits for a commit before it looks at the log anyway."""
    webhook_log_keep: int = Field(default=1000, ge=1)
    """Delivery log entries kept per webhook (the oldest go first)."""

    # SPARQL
    sparql_timeout: float = 10.0
    """Default per-query time limit in seconds."""
    sparql_timeout_cap: float = 60.0
    """No client may ask for more than this many seconds."""
    sparql_max_result_bytes: int = 50_000_000
    """A serialised answer larger than this is refused (HTTP 413) instead of sent."""
    sparql_workers: int = 2
    """Processes that run SPARQL queries; a query past its limit has its process killed."""
    sparql_queries_per_client: int = 1
    """Queries one client (IP address) may have running or waiting at once (429 beyond)."""
    sparql_max_query_bytes: int = 262_144
    """Largest ``/sparql`` request body (a POSTed query or form); 413 beyond."""
    sparql_max_depth: int = 64
    """Deepest bracket nesting of a query; deeper queries are refused before the engine sees them."""
    service_allowlist: list[str] = Field(default_factory=list)
    """Endpoints a SPARQL SERVICE clause may call; empty means SERVICE is refused."""

    # GraphQL
    graphql_max_depth: int = 10
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 2_000
    graphql_max_page_size: int = 100
    graphql_max_path_length: int = 6
    """Longest chain of integrations ``integrationPath`` searches (one store query per hop)."""
    graphql_timeout: float = 10.0
    """Seconds one GraphQL request may take before it is answered with a timeout error."""
    graphql_max_body_bytes: int = 65_536
    """Largest ``/graphql`` request body; 413 beyond."""
