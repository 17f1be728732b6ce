-- A file a resource may carry (a video, a sound, a PDF guide), stored under
-- DATA/uploads/resources/ and served by Vigie itself.
ALTER TABLE resources ADD COLUMN file_name TEXT;
ALTER TABLE resources ADD COLUMN file_type TEXT;
ALTER TABLE resources ADD COLUMN file_size INTEGER;
