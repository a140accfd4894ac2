-- A published module version is never edited: an edit of the content file publishes a new version.
CREATE TRIGGER module_versions_no_update BEFORE UPDATE ON module_versions
BEGIN
  SELECT RAISE(ABORT, 'a module version cannot be edited; publish a new version');
END;
--> statement-breakpoint
CREATE TRIGGER module_versions_no_delete BEFORE DELETE ON module_versions
BEGIN
  SELECT RAISE(ABORT, 'module versions are kept');
END;
--> statement-breakpoint
-- Every knowledge-check attempt is kept as it was scored.
CREATE TRIGGER quiz_attempts_no_update BEFORE UPDATE ON quiz_attempts
BEGIN
  SELECT RAISE(ABORT, 'quiz_attempts is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER quiz_attempts_no_delete BEFORE DELETE ON quiz_attempts
BEGIN
  SELECT RAISE(ABORT, 'quiz_attempts is append-only');
END;
