-- Up Migration
-- One row per person who has data: their ratings, drafts and finished assessments as one JSON
-- document in the shape of PersonData (src/model/records.ts), as src/store/schema.ts checks it.
-- `json` rather than `jsonb`: it keeps the text as written (key order, any character), is smaller,
-- and measured as fast (bench/store-model.ts). `version` counts the changes made to the row.
-- Tables added later that keep a person's records are emptied by `forget` in the same transaction.
CREATE TABLE people (
  person_key text PRIMARY KEY,
  data json NOT NULL CHECK (json_typeof(data) = 'object'),
  version bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE people;
