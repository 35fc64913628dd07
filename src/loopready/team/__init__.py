"""Team mode: accounts, live peer mocks, coaches, on PostgreSQL with several app processes.

The local, single-person mode (SQLite, no login, 127.0.0.1) never imports this package.
Each module holds one concept; the web routes only call them:

- :mod:`~loopready.team.mode`: when team mode is on, and refusing SQLite
- :mod:`~loopready.team.passwords`: Argon2 hashes
- :mod:`~loopready.team.accounts`: creating accounts, signing in, rate limiting
- :mod:`~loopready.team.auth`: server-side sign-in sessions, logout everywhere
- :mod:`~loopready.team.access`: who may see whose data
- :mod:`~loopready.team.invitations`: signed, single-use, expiring invitation links
- :mod:`~loopready.team.live`: the live mock: clock, typing, guide, scorecard, events
- :mod:`~loopready.team.bus`: PostgreSQL ``LISTEN/NOTIFY`` between app processes
"""
