-- The audit trail is append-only. A trigger refuses UPDATE and DELETE of any row and TRUNCATE of the
-- table for every role, the owner and superusers included (only a superuser who switches
-- session_replication_role to replica, or drops the trigger, gets round it — and that leaves the hash
-- chain to tell: `npm run audit:verify`). Roles other than the owner also lose the privileges.
CREATE FUNCTION "audit_entry_append_only_manual"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_entry_no_update_delete_manual"
  BEFORE UPDATE OR DELETE ON "audit_entry"
  FOR EACH ROW EXECUTE FUNCTION "audit_entry_append_only_manual"();

CREATE TRIGGER "audit_entry_no_truncate_manual"
  BEFORE TRUNCATE ON "audit_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_entry_append_only_manual"();

REVOKE UPDATE, DELETE, TRUNCATE ON "audit_entry" FROM PUBLIC;
