-- The accounting of disclosures is append-only.
CREATE TRIGGER disclosure_log_no_update BEFORE UPDATE ON disclosure_log
BEGIN
  SELECT RAISE(ABORT, 'disclosure_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER disclosure_log_no_delete BEFORE DELETE ON disclosure_log
BEGIN
  SELECT RAISE(ABORT, 'disclosure_log is append-only');
END;
--> statement-breakpoint
-- A signed consent is never edited in place: a change is a new version. Only its status may change.
CREATE TRIGGER consents_elements_immutable
BEFORE UPDATE OF id, program_id, link_id, patient_id, version, patient_name, disclosing_program, categories,
  recipient_name, recipient_email, recipient_relationship, purpose, revocation_statement, expiry_kind, expires_on,
  episode_id, signature, signed_at, text ON consents
BEGIN
  SELECT RAISE(ABORT, 'a signed consent cannot be edited; sign a new version');
END;
--> statement-breakpoint
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN
  SELECT RAISE(ABORT, 'consents are kept');
END;
