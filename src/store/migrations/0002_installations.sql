-- Up Migration
-- Where the app is installed, when it serves many workspaces (Slack's OAuth install): one row per
-- workspace, or per Enterprise Grid org for an org-wide install. `data` is what Slack gave at install
-- time (Bolt's Installation), with every token already encrypted by the app.
CREATE TABLE installations (
  id text PRIMARY KEY,
  enterprise_id text,
  data json NOT NULL CHECK (json_typeof(data) = 'object'),
  installed_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX installations_enterprise_id ON installations (enterprise_id);

-- Uninstalling deletes everyone of a workspace or org: the part of the person key before the colon.
CREATE INDEX people_org ON people (split_part(person_key, ':', 1));

-- Down Migration
DROP INDEX people_org;
DROP TABLE installations;
