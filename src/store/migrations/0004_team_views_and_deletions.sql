-- Up Migration
-- Team views answered recently (src/model/team-views.ts): per org, framework and level, the
-- contributors of each (user ids and assessment ids, no ratings), so that an answer that differs from
-- one of them by fewer than K people is not given. `kept` is a JSON array of KeptTeamView
-- (src/model/records.ts); a change reads and writes the row under its lock.
CREATE TABLE team_views (
  org text NOT NULL,
  framework_id text NOT NULL,
  level_id text NOT NULL,
  kept json NOT NULL CHECK (json_typeof(kept) = 'array'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org, framework_id, level_id)
);

-- Deletions of the last minutes (a person's key after /competency forget, an org's or a person's
-- after an uninstall) and when, nothing else: a request made before one is not allowed to create the
-- record again (Store.update in src/store/store.ts). Rows older than a quarter of an hour are removed as new ones come.
CREATE TABLE deletions (
  key text PRIMARY KEY,
  at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE deletions;
DROP TABLE team_views;
