-- Agent API key lookups are cached in each server process (src/server/auth/agent-key-cache.ts). Whatever
-- can turn a cached credential away — a key revoked, replaced or deleted, an agent suspended or renamed,
-- an owner suspended — notifies `holdfast_agent_access` in the same transaction, so every process drops
-- its cache when that transaction commits. Triggers rather than calls in the services: no write path
-- (console, admin, scripts, a hand-run UPDATE) can forget it. `last_used_at` stamps do not notify.
CREATE FUNCTION holdfast_notify_agent_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('holdfast_agent_access', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER agent_api_keys_access_changed
  AFTER UPDATE OF revoked_at, key_hash, agent_id ON agent_api_keys
  FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.key_hash IS DISTINCT FROM NEW.key_hash OR OLD.agent_id IS DISTINCT FROM NEW.agent_id)
  EXECUTE FUNCTION holdfast_notify_agent_access();

CREATE TRIGGER agent_api_keys_access_deleted
  AFTER DELETE ON agent_api_keys
  FOR EACH STATEMENT
  EXECUTE FUNCTION holdfast_notify_agent_access();

CREATE TRIGGER agents_access_changed
  AFTER UPDATE OF status, handle, owner_id ON agents
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.handle IS DISTINCT FROM NEW.handle OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
  EXECUTE FUNCTION holdfast_notify_agent_access();

CREATE TRIGGER agents_access_deleted
  AFTER DELETE ON agents
  FOR EACH STATEMENT
  EXECUTE FUNCTION holdfast_notify_agent_access();

CREATE TRIGGER users_access_changed
  AFTER UPDATE OF status ON users
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION holdfast_notify_agent_access();

CREATE TRIGGER users_access_deleted
  AFTER DELETE ON users
  FOR EACH STATEMENT
  EXECUTE FUNCTION holdfast_notify_agent_access();
