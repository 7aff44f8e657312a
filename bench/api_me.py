"""Time authenticated API calls in-process (run by hand: python bench/api_me.py).

Builds a throwaway SQLite database with the seeds and demo accounts, makes a
token for pk.madiun, and times GET /api/v1/me, /api/v1/agreements and
/api/v1/opds through the Flask test client (no network, no server).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from portal import create_app
from portal.api.tokens import create_token
from portal.demo import create_demo_accounts
from portal.extensions import db
from portal.models import User
from portal.seeding import load_seeds

N = 2000


def main() -> None:
    """Print median and p99 per endpoint."""
    tmp = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
            "SECRET_KEY": "bench",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    from portal.extensions import limiter

    limiter.enabled = False
    with app.app_context():
        upgrade()
        load_seeds()
        create_demo_accounts()
        user = db.session.scalar(db.select(User).where(User.username == "pk.madiun"))
        _, token = create_token(user, "bench", 1)
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for path in ("/api/v1/me", "/api/v1/agreements", "/api/v1/opds"):
        times = []
        for _ in range(N):
            start = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        times.sort()
        print(
            f"{path:24} median {statistics.median(times) * 1000:.2f} ms, "
            f"p99 {times[int(N * 0.99)] * 1000:.2f} ms, {N / sum(times):.0f} req/s"
        )


if __name__ == "__main__":
    main()
