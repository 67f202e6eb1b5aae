-- The Steering Group's register: one row per review, its people (roles only, never
-- names), recommendations, actions, theme matches and links between similar
-- recommendations. Tables are WITHOUT ROWID with natural keys, so the same reviews give
-- the same file however many incremental builds led to it.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE reviews (
  id                   TEXT PRIMARY KEY,
  folder               TEXT NOT NULL UNIQUE,
  digest               TEXT NOT NULL,           -- SHA-256 of the source files
  review_type          TEXT NOT NULL CHECK (review_type IN ('DHR', 'DARDR')),
  category             TEXT NOT NULL CHECK (category IN ('intimate-partner', 'familial',
                                             'suicide', 'same-household', 'unknown')),
  district             TEXT NOT NULL,
  partnership          TEXT NOT NULL,
  region               TEXT NOT NULL,
  victim               TEXT NOT NULL,           -- the published pseudonym
  report_status        TEXT NOT NULL CHECK (report_status IN ('draft', 'final')),
  publication_decision TEXT NOT NULL,
  stage                TEXT NOT NULL CHECK (stage IN ('notification', 'decision', 'panel',
                                             'submission', 'qa', 'published')),
  death                TEXT,                    -- YYYY-MM only: the day is not kept
  notification         TEXT,
  decision             TEXT,
  home_office_notified TEXT,
  chair_appointed      TEXT,
  first_panel          TEXT,
  submission           TEXT,
  qa_approval          TEXT,
  family_informed      TEXT,
  publication          TEXT,
  latest_date          TEXT,                    -- the newest date the case records
  lessons              TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE people (
  review_id    TEXT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  role         TEXT NOT NULL,
  age_band     TEXT NOT NULL,
  sex          TEXT NOT NULL,
  ethnicity    TEXT NOT NULL,
  relationship TEXT NOT NULL,                   -- the data form's words, to the victim
  PRIMARY KEY (review_id, position)
) WITHOUT ROWID;

CREATE TABLE recommendations (
  review_id TEXT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  number    INTEGER NOT NULL,
  text      TEXT NOT NULL,
  agency    TEXT NOT NULL,                      -- whom it is addressed to ('' if unsaid)
  line      INTEGER,                            -- in report.md
  PRIMARY KEY (review_id, number)
) WITHOUT ROWID;

CREATE TABLE actions (
  review_id      TEXT NOT NULL,
  position       INTEGER NOT NULL,              -- row in action-plan.yaml, from 1
  recommendation INTEGER NOT NULL,
  scope          TEXT NOT NULL CHECK (scope IN ('Local', 'Regional', 'National')),
  action         TEXT NOT NULL,
  lead_agency    TEXT NOT NULL,
  milestones     TEXT NOT NULL,
  target_date    TEXT NOT NULL,                 -- YYYY-MM
  completion     TEXT NOT NULL,
  completed      TEXT,                          -- YYYY-MM
  given_status   TEXT,                          -- as action-plan.yaml says, if it does
  status         TEXT NOT NULL CHECK (status IN ('overdue', 'not-started', 'in-progress',
                                                 'complete')),  -- as of meta.as_of
  line           INTEGER,
  PRIMARY KEY (review_id, position),
  FOREIGN KEY (review_id, recommendation)
    REFERENCES recommendations (review_id, number) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE themes (
  key   TEXT PRIMARY KEY,
  title TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE theme_matches (
  review_id TEXT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  source    TEXT NOT NULL CHECK (source IN ('recommendation', 'lessons')),
  number    INTEGER NOT NULL,                   -- the recommendation; 0 for the lessons
  theme     TEXT NOT NULL REFERENCES themes (key),
  words     TEXT NOT NULL,                      -- what matched: the reason
  PRIMARY KEY (review_id, source, number, theme)
) WITHOUT ROWID;

CREATE TABLE recommendation_links (
  review_id         TEXT NOT NULL,
  number            INTEGER NOT NULL,
  earlier_review_id TEXT NOT NULL,
  earlier_number    INTEGER NOT NULL,
  score             REAL NOT NULL,              -- TF-IDF cosine similarity
  PRIMARY KEY (review_id, number, earlier_review_id, earlier_number),
  FOREIGN KEY (review_id, number)
    REFERENCES recommendations (review_id, number) ON DELETE CASCADE,
  FOREIGN KEY (earlier_review_id, earlier_number)
    REFERENCES recommendations (review_id, number) ON DELETE CASCADE,
  CHECK (review_id <> earlier_review_id)
) WITHOUT ROWID;

CREATE TABLE timescales (
  review_id TEXT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  key       TEXT NOT NULL,                      -- a timescale in the profile
  status    TEXT NOT NULL CHECK (status IN ('met', 'missed', 'due', 'not-started')),
  due       TEXT,
  done      TEXT,
  days_late INTEGER,
  PRIMARY KEY (review_id, key)
) WITHOUT ROWID;

CREATE INDEX actions_by_status ON actions (status, target_date);
CREATE INDEX links_to_earlier ON recommendation_links (earlier_review_id, earlier_number);
