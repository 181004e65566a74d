-- The console server's own tables: accounts, browser sessions, the audit log, silences, and the console fields
-- of an alert that the contract Alert does not carry (assignee, notes, operator outcomes).

CREATE TABLE users (
  id            bigserial   PRIMARY KEY,
  username      text        NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  password_hash text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('operator', 'analyst', 'tester', 'admin')),
  disabled      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of the token is stored: a leaked table or backup cannot be replayed as cookies.
CREATE TABLE sessions (
  token_hash bytea       PRIMARY KEY,
  user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Append-only: who did what to which target. `actor` is text so entries outlive a deleted user and can name
-- a failed login's username.
CREATE TABLE audit_log (
  id     bigserial   PRIMARY KEY,
  actor  text        NOT NULL,
  action text        NOT NULL,
  target text,
  ip     text,
  detail jsonb       NOT NULL DEFAULT '{}'::jsonb,
  at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_actor ON audit_log (actor, at DESC);

-- A silenced sensor or rule still raises alerts (nothing is lost); consoles show them without paging.
CREATE TABLE silences (
  id          bigserial   PRIMARY KEY,
  site_id     text        NOT NULL,
  sensor_id   text,
  rule        text,
  reason      text        NOT NULL,
  created_by  text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  until       timestamptz NOT NULL,
  lifted_at   timestamptz,
  lifted_by   text,
  CHECK ((sensor_id IS NULL) <> (rule IS NULL))
);
CREATE INDEX silences_active ON silences (until) WHERE lifted_at IS NULL;

-- Who holds an alert now; the contract Alert has no assignee, so it lives beside it.
CREATE TABLE alert_assignments (
  alert_id    text        PRIMARY KEY,
  assignee    text        NOT NULL,
  assigned_by text        NOT NULL,
  assigned_at timestamptz NOT NULL
);

-- The console action behind a revision in alert_history: actor, note, assignee, outcome, silence.
CREATE TABLE alert_actions (
  alert_id text        NOT NULL,
  rev      integer     NOT NULL,
  action   text        NOT NULL CHECK (action IN ('acknowledge', 'assign', 'note', 'resolve', 'silence')),
  actor    text        NOT NULL,
  detail   jsonb       NOT NULL DEFAULT '{}'::jsonb,
  at       timestamptz NOT NULL,
  PRIMARY KEY (alert_id, rev)
);
