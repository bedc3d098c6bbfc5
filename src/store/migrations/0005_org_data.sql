-- Up Migration
-- What each org keeps of its own (src/model/org-data.ts): the frameworks it published, every version
-- of each, the bundled frameworks it hides, its settings and the log of its admins' changes. One row
-- per org: a workspace id, or an Enterprise Grid org's id for an org-wide install. `data` is OrgData
-- without its revision. A change reads and writes the row under its lock (SELECT … FOR UPDATE).
--
-- `revision` is taken from one sequence for every org at each write: greater than any revision given
-- before, never given twice (a sequence is not rolled back), so that an instance can tell with one
-- read of the primary key whether what it cached for the org is current — also when the org's row
-- was deleted (an uninstall) and made again.
CREATE SEQUENCE org_data_revisions AS bigint;

CREATE TABLE org_data (
  org text PRIMARY KEY,
  data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  revision bigint NOT NULL CHECK (revision >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE org_data;
DROP SEQUENCE org_data_revisions;
