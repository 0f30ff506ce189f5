-- Two steps every write takes inside its transaction, each a lock followed by a read, done by one
-- function call instead of two statements: one round trip less each. Both functions are VOLATILE
-- plpgsql, so under READ COMMITTED the SELECT after the lock takes a fresh snapshot and sees what the
-- previous holder of the lock committed (a single plain statement takes its snapshot before it waits
-- for the lock, and could read stale data). The locks are the ones the app took before, held until the
-- transaction ends.

-- The audit chain (lib/domain/audit/record.ts): serializes appends, answers the last entry's hash.
CREATE FUNCTION "audit_chain_head_manual"() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7305012);
  RETURN (SELECT "hash" FROM "audit_entry" ORDER BY "id" DESC LIMIT 1);
END;
$$;

-- An Idempotency-Key (lib/domain/mutation.ts): serializes requests with the same principal and key,
-- answers what the first one stored, if it has committed.
CREATE FUNCTION "idempotency_claim_manual"(p_principal text, p_key text)
RETURNS TABLE (stored_hash text, stored_status integer, stored_body jsonb)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_principal || E'\n' || p_key, 0));
  RETURN QUERY
    SELECT k."request_hash", k."status", k."response_body"
      FROM "idempotency_key" AS k
     WHERE k."principal_id" = p_principal AND k."key" = p_key;
END;
$$;
